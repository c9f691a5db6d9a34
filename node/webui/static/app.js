/* Pigeon web client, bundled from js/ (go generate). Includes Preact (MIT) and htm (Apache-2.0): vendor/LICENSE-preact.txt, vendor/LICENSE-htm.txt. */
var E,Pn,_o,me,Pt,nt,En,et,An,At,Et,ko,Be=Symbol.for("pv"),st={},at=[],wo=/^m(i|n|o|s|text|space)$/,Lt=Array.isArray,qt=at.slice,we=Object.assign;function ke(e){e&&e.parentNode&&e.remove()}function Ln(e,t,n){var s,o,a,r={},c=arguments.length;for(a in t)a=="key"?s=t[a]:a=="ref"&&typeof e!="function"?o=t[a]:r[a]=t[a];return c>2&&(r.children=c>3?qt.call(arguments,2):n),Oe(e,r,s,o,null)}function Oe(e,t,n,s,o){var a={type:e,props:t,key:n,ref:s,__k:null,__:null,__b:0,__e:null,__c:null,constructor:Be,__v:o||++Pn,__i:-1,__u:0};return!o&&E.vnode&&E.vnode(a),a}function Ue(e){return e.children}function he(e,t){this.props=e,this.context=t,this.__g=0}function ge(e,t){if(t==null)return e.__&&ge(e.__,e.__i+1);for(var n;t<e.__k.length;t++)if((n=e.__k[t])&&n.__e)return n.__e;return typeof e.type!="function"||e.props.__P?null:ge(e)}function xo(e){var t,n=e.__v,s=n.__e,o=[],a=[],r=e.__P;r&&((t=we({constructor:Be},n)).__v=n.__v+1,E.vnode&&E.vnode(t),Nt(r,t,n,e.__n,r.namespaceURI,32&n.__u?[s]:null,o,s||ge(n),32&n.__u,a),t.__v=n.__v,t.__.__k[t.__i]=t,jn(o,t,a),n.__=n.__e=null,t.__e!=s&&qn(t))}function qn(e){if((e=e.__)&&e.__c&&!e.props.__P)return e.__e=null,e.__k.some(function(t){return t&&(e.__e=t.__e)}),qn(e)}function Rn(e){(8&e.__g||(e.__g|=8,me.push(e),nt++))&&Pt==E.debounceRendering||((Pt=E.debounceRendering)||queueMicrotask)(Nn)}function Nn(){try{for(var e,t=1;me.length;)me.length>t&&me.sort(En),e=me.shift(),t=me.length,8&e.__g&&xo(e)}finally{(nt=me.length)&&(Pt||queueMicrotask)(Nn)}}function On(e,t,n,s,o,a,r,c,u,p,l){var m,g,f,v,y,w,x=s.__k||at,S=t.length;for(u=Co(n,t,x,u,S),m=0;m<S;m++)(f=n.__k[m])!=null&&(g=~f.__i&&x[f.__i]||st,f.__i=m,w=Nt(e,f,g,o,a,r,c,u,p,l),v=f.__e,(g.ref!=f.ref||8&g.__u)&&(g.ref&&Ot(g.ref,null,f,g),f.ref&&l.push(f.ref,f.__c||v,f)),y=y||v,4&f.__u?(u=Bn(f,u,e,!g.__v),g.__e&&(g.__e=null)):typeof f.type=="function"&&w!==void 0?u=w:v&&(u=v.nextSibling),f.__u&=-21);return n.__e=y,u}function Co(e,t,n,s,o){var a,r,c,u,p,l,m,g,f,v=n.length,y=v,w=0,x=0,S=e.__k=Array(o);for(a=0;a<o;a++)(r=t[a])!=null&&typeof r!="boolean"&&typeof r!="function"?(typeof r!="object"||r.constructor===String?r=S[a]=Oe(null,r):Lt(r)?r=S[a]=Oe(Ue,{children:r}):r.constructor===Be&&r.__b?r=S[a]=Oe(r.type,r.props,r.key,r.ref,r.__v):S[a]=r,u=a+w,r.__=e,r.__b=e.__b+1,c=null,~(p=r.__i=So(r,n,u,y))&&(y--,(c=n[p])&&(c.__u|=2)),c&&c.__v?(r.__u|=16,p==u-1?w--:p==u+1?w++:p!=u&&(p>u?w--:w++,x=1)):(~p||(o>v?w--:o<v&&w++),typeof r.type!="function"&&(r.__u|=4))):S[a]=null;if(x){for(l=[],m=[],a=0;a<o;a++)if((r=S[a])&&16&r.__u){for(w=0,g=l.length;w<g;)l[f=w+g>>1]<r.__i?w=f+1:g=f;l[w]=r.__i,m[a]=w+1}for(w=l.length;a--;)m[a]&&(m[a]==w?w--:S[a].__u|=4)}if(y)for(a=0;a<v;a++)!(c=n[a])||2&c.__u||(c.__e==s&&(s=ge(c)),Bt(c,c));return s}function Bn(e,t,n,s){var o,a,r,c;if(typeof e.type=="function"){if(e.props.__P)return t;if(o=e.__k)for(a=0;a<o.length;a++)o[a]&&(o[a].__=e,t=Bn(o[a],t,n,!1));return t}for(t&&!t.parentNode&&(t=ge(e))&&!t.parentNode&&(t=null),r=e.__e,c=t;c&&c.nodeType==8;)c=c.nextSibling;for(r!=c&&(!s&&n.moveBefore&&r.parentNode?n.moveBefore(r,t):n.insertBefore(r,t||null)),t=r;(t=t&&t.nextSibling)&&t.nodeType==8&&!t.data.startsWith("$s"););return t}function So(e,t,n,s){var o,a=e.key,r=e.type,c=t[n],u=c&&!(2&c.__u);if(c===null&&a==null||u&&a==c.key&&r==c.type)return n;if(s>(u?1:0)){for(o=n-1;o>=0;o--)if((c=t[o])&&!(2&c.__u)&&a==c.key&&r==c.type)return o;for(o=n+1;o<t.length;o++)if((c=t[o])&&!(2&c.__u)&&a==c.key&&r==c.type)return o}return-1}function In(e,t,n){n==null&&(n=""),t[0]=="-"?e.setProperty(t,n):e[t]=n}function Ze(e,t,n,s,o){var a,r;if(t=="style")if(typeof n=="string")e.style.cssText=n;else{if(typeof s=="string"&&(e.style.cssText=s=""),s)for(t in s)n&&t in n||In(e.style,t);if(n)for(t in n)s&&n[t]==s[t]||In(e.style,t,n[t])}else if(t[0]=="o"&&t[1]=="n")typeof n!="function"&&(n=null),typeof s!="function"&&(s=null),(e.__e||(e.__e={}))[t]=n,n&&s||(r=Et[t]||(Et[t]=Mo(t)),(e.__a||(e.__a={}))[t]=At,a=t!=(t=t.replace(An,"$1")),(t=t.slice(2))[0]<"a"&&(t=t.toLowerCase()),n?e.addEventListener(t,r,a):e.removeEventListener(t,r,a));else{if(o=="http://www.w3.org/2000/svg")t=t.replace(/xlink(H|:h)/,"h").replace(/sName$/,"s");else if(t!="width"&&t!="height"&&t!="href"&&t!="list"&&t!="form"&&t!="tabIndex"&&t!="download"&&t!="rowSpan"&&t!="colSpan"&&t!="role"&&t!="popover"&&t in e)try{return void(e[t]=n??"")}catch{}if(typeof n=="function")return;n==null||n===!1&&t[4]!="-"?e.removeAttribute(t):e.setAttribute(t,t=="popover"&&n==1?"":n)}}function Mo(e){return function(t){var n=this.__e;if(n){if(n=n[e],t[et]==null)t[et]=At++;else if(t[et]<this.__a[e])return;return n(E.event?E.event(t):t)}}}function Nt(e,t,n,s,o,a,r,c,u,p){var l,m,g,f,v,y,w,x,S,P,I,Ne,ve,Te,re,D,fe,_e,ie=t.type;if(t.constructor!==Be)return null;128&n.__u&&(u=32&n.__u,l=n.__c.__z)&&(t.__u|=u,m=a=[],l.nodeType==8?c=tt(l,a):a.push(l),c=a[0]||c),(l=E.__b)&&l(t);e:if(typeof ie=="function"){g=r.length;try{if(x=t.props,S=(l=ie.prototype)&&l.render,P=(l=ie.contextType)&&s[l.__c],I=l?P?P.props.value:l.__:s,(f=n.__c)?(t.__c=f,2&f.__g&&(f.__g|=1)):(S?t.__c=f=new ie(x,I):(t.__c=f=new he(x,I),f.constructor=ie,f.render=To),P&&P.sub(f),f.state||(f.state={}),f.__n=s,f.__g|=8,f.__h=[],f.__k=[]),S&&(f.__s||(f.__s=f.state),ie.getDerivedStateFromProps&&(f.__s==f.state&&(f.__s=we({},f.__s)),we(f.__s,ie.getDerivedStateFromProps(x,f.__s)))),v=f.props,y=f.state,f.__v=t,n.__c){if(x!==v&&S&&!ie.getDerivedStateFromProps&&f.componentWillReceiveProps&&f.componentWillReceiveProps(x,I),t.__v==n.__v&&!(8&f.__g)||!(4&f.__g)&&f.shouldComponentUpdate&&f.shouldComponentUpdate(x,f.__s,I)===!1){t.__v!=n.__v&&(f.props=x,f.state=f.__s,f.__g&=-9),t.__e=n.__e,t.__k=n.__k,t.__k.some(function(J){J&&(J.__=t)}),at.push.apply(f.__h,f.__k),f.__k=[],f.__h.length&&r.push(f),c=ge(n);break e}f.componentWillUpdate&&f.componentWillUpdate(x,f.__s,I),S&&f.componentDidUpdate&&f.__h.push(function(){f.componentDidUpdate(v,y,w)})}else S&&!ie.getDerivedStateFromProps&&f.componentWillMount&&f.componentWillMount(),S&&f.componentDidMount&&f.__h.push(f.componentDidMount);f.context=I,f.props=x,f.__P=e,f.__g&=-5,Ne=E.__r,ve=S?25:0;do f.__g&=-9,Ne&&Ne(t),l=f.render(f.props,f.state=f.__s,f.context);while(8&f.__g&&++ve<25);S&&(at.push.apply(f.__h,f.__k),f.__k=[]),f.state=f.__s,f.getChildContext&&(s=we({},s,f.getChildContext())),S&&n.__c&&f.getSnapshotBeforeUpdate&&(w=f.getSnapshotBeforeUpdate(v,y)),Te=l&&l.type===Ue&&l.key==null?l.props.children:l,x.__P&&(l=c,o=(e=x.__P).namespaceURI,u=a=null,n.props&&n.props.__P!=e&&(n.__k.some(function(J){J&&Bt(J,J)}),n.__k=null),c=n.__k?ge(n,0):null),c=On(e,Lt(Te)?Te:[Te],t,n,s,o,a,r,c,u,p),x.__P&&(t.__e=null,c=l),t.__u&=-161,m&&m.some(ke),f.__h.length&&r.push(f),1&f.__g&&(f.__g&=-4)}catch(J){if(r.length=g,t.__v=null,u||a)if(J&&J.then){if(t.__u|=128|u,a){for(~(fe=a.indexOf(c||void 0))||(fe=a.length);(_e=a[fe-1])&&_e.nodeType==8;)fe--;for(;fe<a.length;fe++)if(_e=a[fe])if(a[fe]=null,re){if(_e==D)break}else{if(_e.nodeType!=8)break;_e.data.startsWith("$s")&&(D=tt(re=_e))}}if(!re){for(;c&&c.nodeType==8&&c.nextSibling;)c=c.nextSibling;re=c}(l=tt(re=t.__c.__z||(t.__c.__z=re)))?(t.__e=re,c=l):t.__e=c,c=c&&c.nextSibling}else a&&a.some(ke);else t.__e=n.__e;t.__k||(t.__k=n.__k||[]),J&&J.then||Un(t),E.__e(J,t,n)}}else c=t.__e=Do(n.__e,t,n,s,o,a,r,u,p,e);return(l=E.diffed)&&l(t),c}function tt(e,t){if(e&&e.nodeType==8&&e.data.startsWith("$s"))for(var n=1;e=e.nextSibling;){if(e.nodeType==8){if(e.data.startsWith("$s"))n++;else if(e.data.startsWith("/$s")&&!--n)return e}t&&t.push(e)}}function Un(e){e&&(e.__c&&(e.__c.__g|=4),e.__k&&e.__k.some(Un))}function jn(e,t,n){for(var s=0;s<n.length;)Ot(n[s++],n[s++],n[s++]);E.__c&&E.__c(t,e),e.some(function(o){try{e=o.__h,o.__h=[],e.some(function(a){a.call(o)})}catch(a){E.__e(a,o.__v)}})}function Do(e,t,n,s,o,a,r,c,u,p){var l,m,g,f,v,y,w,x,S=n.props||st,P=t.props,I=t.type;if(I=="svg"?o="http://www.w3.org/2000/svg":I=="math"?o="http://www.w3.org/1998/Math/MathML":o||(o="http://www.w3.org/1999/xhtml"),a){for(l=0;l<a.length;l++)if((v=a[l])&&(I?v.localName==I:v.nodeType==3)){e=v,a[l]=null;break}}if(!e){if(x=p.ownerDocument||document,!I)return x.createTextNode(P);e=x.createElementNS(o,I,P.is?P:p),c&&(E.__m&&E.__m(t,a),c=!1),a=null}if(I){if(p=I=="template"&&e.content||e,a=I=="textarea"&&P.defaultValue!=null?null:a&&qt.call(p.childNodes),!c&&a)for(S={},l=0;l<e.attributes.length;l++)S[(v=e.attributes[l]).name]=v.value;for(l in S)v=S[l],l=="dangerouslySetInnerHTML"?g=v:l=="children"||l in P||l=="value"&&"defaultValue"in P||l=="checked"&&"defaultChecked"in P||Ze(e,l,null,v,o);for(l in P)v=P[l],l=="children"?f=v:l=="dangerouslySetInnerHTML"?m=v:l=="value"?y=v:l=="checked"?w=v:c&&typeof v!="function"||S[l]===v||Ze(e,l,v,S[l],o);m?(c||g&&(m.__html==g.__html||m.__html==e.innerHTML)||(e.innerHTML=m.__html),t.__k=[]):(g&&(e.textContent=""),(I=="foreignObject"||o=="http://www.w3.org/1998/Math/MathML"&&wo.test(I))&&(o="http://www.w3.org/1999/xhtml"),On(p,Lt(f)?f:[f],t,n,s,o,a,r,a?a[0]:n.__k&&ge(n,0),c,u),a&&a.some(ke)),c&&I!="textarea"||(l="value",I=="progress"&&y==null?e.removeAttribute(l):y==null||y===e[l]&&(I!="progress"||y)||Ze(e,l,y,S[l],o),l="checked",w!=null&&w!=e[l]&&Ze(e,l,w,S[l],o))}else S===P||c&&e.data==P||(e.data=P);return e}function Ot(e,t,n,s){try{typeof e=="function"?t?t.__x=e(t)||1:s&&(s=s.__c||s.__e)&&(t=s.__x)&&(s.__x=null,typeof t=="function"?t():e(null)):e.current=t}catch(o){E.__e(o,n)}}function Bt(e,t,n){var s,o,a,r;if(E.unmount&&E.unmount(e),!(s=e.ref)||s.current&&s.current!=e.__e||Ot(s,null,t,e),s=e.__c){if(s.componentWillUnmount)try{s.componentWillUnmount()}catch(c){E.__e(c,t)}s.__P=s.__n=null}if(s=e.__k)for(r=0;r<s.length;r++)s[r]&&Bt(s[r],t,typeof e.type!="function"||n&&!e.props.__P);!n&&(s=e.__c)&&(s=s.__z)&&(o=tt(s,a=[]))&&(s==e.__e&&a.some(ke),ke(o),ke(s)),n||ke(e.__e),e.__e=e.__c=e.__=null}function To(e,t,n){return this.constructor(e,n)}function Ut(e,t){var n,s,o,a;E.__&&E.__(e,t),t.nodeType==9&&(t=t.documentElement),s=(n=e&&32&e.__u)?null:t.__k,t.__k=Oe(Ue,{children:[e]}),o=[],a=[],Nt(t,t.__k,s||st,st,t.namespaceURI,s?null:t.firstChild?qt.call(t.childNodes):null,o,s?s.__e:t.firstChild,n,a),jn(o,t.__k,a),t.__k.props.children=null}E={__e:function(e,t,n,s){for(var o,a,r;t=t.__;)if((o=t.__c)&&!(1&o.__g)){o.__g|=4;try{if((r=(a=o.constructor)&&a.getDerivedStateFromError)&&o.setState(a.getDerivedStateFromError(e)),o.componentDidCatch&&(o.componentDidCatch(e,s||{}),r=1),r&&8&o.__g)return void(o.__g|=2)}catch(c){e=c}}throw nt=0,e}},Pn=0,_o=function(e){return e!=null&&e.constructor===Be},he.prototype.setState=function(e,t){var n=this.__s;n&&n!=this.state||(n=this.__s=we({},this.state)),typeof e=="function"&&(e=e(we({},n),this.props)),e&&(we(n,e),this.__v&&(t&&this.__k.push(t),Rn(this)))},he.prototype.forceUpdate=function(e){this.__v&&(this.__g|=4,e&&this.__h.push(e),Rn(this))},he.prototype.render=Ue,me=[],nt=0,En=function(e,t){return e.__v.__b-t.__v.__b},et=Symbol(),An=/(PointerCapture)$|Capture$/i,At=0,Et={},ko=0;var Wn=function(e,t,n,s){var o;t[0]=0;for(var a=1;a<t.length;a++){var r=t[a++],c=t[a]?(t[0]|=r?1:2,n[t[a++]]):t[++a];r===3?s[0]=c:r===4?s[1]=Object.assign(s[1]||{},c):r===5?(s[1]=s[1]||{})[t[++a]]=c:r===6?s[1][t[++a]]+=c+"":r?(o=e.apply(c,Wn(e,c,n,["",null])),s.push(o),c[0]?t[0]|=2:(t[a-2]=0,t[a]=o)):s.push(c)}return s},Fn=new Map;function Hn(e){var t=Fn.get(this);return t||(t=new Map,Fn.set(this,t)),(t=Wn(this,t.get(e)||(t.set(e,t=(function(n){for(var s,o,a=1,r="",c="",u=[0],p=function(g){a===1&&(g||(r=r.replace(/^\s*\n\s*|\s*\n\s*$/g,"")))?u.push(0,g,r):a===3&&(g||r)?(u.push(3,g,r),a=2):a===2&&r==="..."&&g?u.push(4,g,0):a===2&&r&&!g?u.push(5,0,!0,r):a>=5&&((r||!g&&a===5)&&(u.push(a,0,r,o),a=6),g&&(u.push(a,g,0,o),a=6)),r=""},l=0;l<n.length;l++){l&&(a===1&&p(),p(l));for(var m=0;m<n[l].length;m++)s=n[l][m],a===1?s==="<"?(p(),u=[u],a=3):r+=s:a===4?r==="--"&&s===">"?(a=1,r=""):r=s+r[0]:c?s===c?c="":r+=s:s==='"'||s==="'"?c=s:s===">"?(p(),a=1):a&&(s==="="?(a=5,o=r,r=""):s==="/"&&(a<5||n[l][m+1]===">")?(p(),a===3&&(u=u[0]),a=u,(u=u[0]).push(2,0,a),a=0):s===" "||s==="	"||s===`
`||s==="\r"?(p(),a=2):r+=s),a===3&&r==="!--"&&(a=4,u=u[0])}return p(),u})(e)),t),arguments,[])).length>1?t:t[0]}var Re,j,jt,zn,Ft=Object.is,Fe=0,es=[],Wt=[],O=E,Gn=O.__b,Kn=O.__r,Vn=O.diffed,Yn=O.__c,Qn=O.unmount,Jn=O.__;function ot(e,t){O.__h&&O.__h(j,e,Fe||t),Fe=0;var n=j.__H||(j.__H={__:[],__h:[]});return e>=n.__.length&&n.__.push({}),n.__[e]}function h(e){return Fe=1,rt(ts,e)}function rt(e,t,n){var s=ot(Re++,2);if(s.t=e,!s.__c&&(s.__=[n?n(t):ts(void 0,t),function(a){var r=(s.__N||s.__)[0],c=s.t(r,a);Ft(r,c)||(s.__N=[c,s.__[1]],s.__c.setState({}))}],s.__c=j,!j.__f)){j.__f=!0;var o=j.shouldComponentUpdate;j.shouldComponentUpdate=function(a,r,c){var u=this.__H;if(!u)return!0;var p=!1,l=this.props!=a;if(u.__.some(function(g){g.__N&&(p=!0,Ft(g.__[0],g.__N[0])||(l=!0))}),o){var m=o.call(this,a,r,c);return p?m||l:m}return!p||l}}return s.__}function M(e,t){var n=ot(Re++,3);!O.__s&&Gt(n.__H,t)&&(n.__P=!0,n.__=e,n.u=t,j.__H.__h.push(n))}function We(e,t){var n=ot(Re++,4);!O.__s&&Gt(n.__H,t)&&(n.__P=!1,n.__=e,n.u=t,j.__h.push(n))}function H(e){return Fe=5,zt(function(){return{current:e}},[])}function zt(e,t){var n=ot(Re++,7);return Gt(n.__H,t)&&(n.__=e(),n.__H=t),n.__}function it(e,t){return Fe=8,zt(function(){return e},t)}function Ro(){var e;do{for(;e=Wt.shift();)try{je(e)}catch(n){O.__e(n,{__:(e=e.__P)&&e.__v})}for(;e=es.shift();){var t=e.__H;if(e.__P&&t)try{t.__h.some(je),t.__h.some(Ht),t.__h=[]}catch(n){t.__h=[],O.__e(n,e.__v)}}}while(Wt.length)}O.__b=function(e){j=null,Gn&&Gn(e)},O.__=function(e,t){e&&t.__k&&t.__k.__m&&(e.__m=t.__k.__m),Jn&&Jn(e,t)},O.__r=function(e){Kn&&Kn(e),Re=0;var t=(j=e.__c).__H;t&&(jt==j?j.__h=[]:(t.__h.some(je),t.__h.some(Ht),Re=0),t.__h=[],t.__.some(function(n){n.__N&&(n.__=n.__N),n.u=n.__N=void 0})),jt=j},O.diffed=function(e){Vn&&Vn(e);var t=e.__c;t&&t.__H&&(t.__H.__h.length&&Zn(es.push(t)),t.__H.__.some(function(n){n.u&&(n.__H=n.u)})),jt=j=null},O.__c=function(e,t){t.some(function(n){try{n.__h.some(je),n.__h=n.__h.filter(function(s){return!s.__||Ht(s)})}catch(s){n.__h=[function(){throw s}]}}),Yn&&Yn(e,t)},O.unmount=function(e){Qn&&Qn(e);var t,n,s=e.__c;s&&s.__H&&(s.__H.__.some(function(o){try{if(o.__P&&o.__c){if(n===void 0){for(n=e.__;n&&(!n.__c||!n.__c.__P);)n=n.__;n=n&&n.__c}o.__P=n,Zn(Wt.push(o))}else je(o)}catch(a){t=a}}),s.__H=void 0,t&&O.__e(t,s.__v))};var Xn=typeof requestAnimationFrame=="function";function Io(e){var t,n=function(){clearTimeout(s),Xn&&cancelAnimationFrame(t),setTimeout(e)},s=setTimeout(n,35);Xn&&(t=requestAnimationFrame(n))}function Zn(e){e!=1&&zn==O.requestAnimationFrame||((zn=O.requestAnimationFrame)||Io)(Ro)}function je(e){var t=j,n=e.__c;typeof n=="function"&&(e.__c=void 0,n()),j=t}function Ht(e){var t=j;e.__c=e.__(),j=t}function Gt(e,t){return!e||e.length!=t.length||t.some(function(n,s){return!Ft(n,e[s])})}function ts(e,t){return typeof t=="function"?t(e):t}var i=Hn.bind(Ln);function ns(e){class t extends he{shouldComponentUpdate(s){let o=this.props;for(let a in o)if(o[a]!==s[a])return!0;for(let a in s)if(!(a in o))return!0;return!1}render(s){return e(s)}}return t.displayName=e.name,t}var ce=class extends Error{constructor(t,n,s){super(s||"request failed ("+t+")"),this.status=t,this.code=n||""}},Kt=()=>{};function ss(e){Kt=e}async function as(e){let t=null;try{t=await e.json()}catch{t=null}return e.status===401&&Kt(),new ce(e.status,t&&t.code,t&&t.error)}async function ye(e,t,n){let s={method:e,headers:{},credentials:"same-origin"};n!==void 0&&(s.headers["Content-Type"]="application/json",s.body=JSON.stringify(n));let o;try{o=await fetch(t,s)}catch{throw new ce(0,"network","the daemon does not answer: is `pigeon daemon` still running?")}if(!o.ok)throw await as(o);return o.status===204||o.status===202?null:(o.headers.get("Content-Type")||"").includes("json")?o.json():o.text()}var C=e=>ye("GET",e),T=(e,t)=>ye("POST",e,t),L=(e,t)=>ye("PUT",e,t),He=(e,t)=>ye("PATCH",e,t),G=e=>ye("DELETE",e),B=encodeURIComponent;function Vt(e,t,n){let s=e.slice(2),o=e.startsWith("g:")?"/v1/groups/"+s:"/v1/conversations/"+s,a="?limit="+n;return t&&(a+="&before="+t),o+"/messages"+a}function os({key:e,file:t,caption:n,replyTo:s,onProgress:o}){let a=new URLSearchParams;a.set(e.startsWith("g:")?"group":"to",e.slice(2)),t.name&&a.set("name",t.name),t.type&&a.set("mime",t.type),n&&a.set("caption",n),s&&a.set("reply_to",s);let r=new XMLHttpRequest;return{promise:new Promise((u,p)=>{r.open("POST","/v1/media?"+a.toString()),r.responseType="json",r.upload.onprogress=l=>o&&o(l.loaded,l.lengthComputable?l.total:t.size),r.onload=()=>{let l=r.response;if(r.status===201&&l&&l.id){u(l.id);return}r.status===401&&Kt(),p(new ce(r.status,l&&l.code,l&&l.error))},r.onerror=()=>p(new ce(0,"network","the upload was cut off: is the daemon still running?")),r.onabort=()=>p(new ce(0,"aborted","upload cancelled")),r.send(t)}),abort:()=>r.abort()}}var Ie=e=>"/v1/media/"+e+"/content",Yt=e=>"/v1/media/"+e+"/thumbnail",xe=e=>"/v1/qr.svg?text="+B(e);async function rs(e){let t=await fetch("/v1/qr/decode",{method:"POST",credentials:"same-origin",headers:{"Content-Type":e.type||"application/octet-stream"},body:e});if(!t.ok)throw await as(t);return(await t.json()).text}function Qt(e,t){let n=document.createElement("a");n.href=Ie(e),n.download=t||"",n.rel="noopener",document.body.append(n),n.click(),n.remove()}var le=e=>"p:"+e,$e=e=>"g:"+e,ee=e=>e.group?$e(e.group):le(e.peer),ne=e=>(e.startsWith("g:")?"/group/":"/chat/")+e.slice(2),Y=e=>e?e.slice(0,12)+"…":"",Jt=new Intl.DateTimeFormat(void 0,{hour:"2-digit",minute:"2-digit"}),is=new Intl.DateTimeFormat(void 0,{weekday:"long"}),Po=new Intl.DateTimeFormat(void 0,{year:"numeric",month:"short",day:"numeric"}),Eo=new Intl.DateTimeFormat(void 0,{month:"short",day:"numeric"}),cs=e=>e?Date.parse(e):0,be=e=>e?Jt.format(new Date(e)):"";function ct(e){return new Date(e.getFullYear(),e.getMonth(),e.getDate()).getTime()}function Xt(e){let t=new Date(e);return t.getFullYear()*1e4+t.getMonth()*100+t.getDate()}function Ce(e,t=Date.now()){let n=new Date(e),s=Math.round((ct(new Date(t))-ct(n))/864e5);return s===0?"Today":s===1?"Yesterday":s>1&&s<7?is.format(n):Po.format(n)}function Pe(e,t=Date.now()){if(!e)return"";let n=new Date(e),s=Math.round((ct(new Date(t))-ct(n))/864e5);return s===0?Jt.format(n):s===1?"Yesterday":s>1&&s<7?is.format(n):Eo.format(n)}function lt(e,t=Date.now()){if(!e)return"";let n=Ce(e,t),s=Jt.format(new Date(e));return n==="Today"?"last seen today at "+s:n==="Yesterday"?"last seen yesterday at "+s:"last seen "+n+" at "+s}function q(e){if(e==null)return"";if(e<1024)return e+" B";let t=["KB","MB","GB","TB"],n=e/1024,s=0;for(;n>=1024&&s<t.length-1;)n/=1024,s++;return(n<10?n.toFixed(1):Math.round(n))+" "+t[s]}var ze=(e,t)=>t>0?Math.min(100,Math.floor(e*100/t)):0,ls=e=>(e||"?").trim().slice(0,1).toUpperCase()||"?";function W(...e){return e.filter(Boolean).join(" ")}var Ao=/pgi[a-z2-7]{160}/,Lo=/pg[a-z2-7]{58}(?![a-z2-7])/;function ut(e){let t=(e||"").trim(),n=t.toLowerCase(),s=n.match(Ao);if(s)return{kind:"invite",link:s[0]};let o=n.match(Lo);if(!o)return null;let a="",r=t.indexOf("?");if(r>=0)try{a=new URLSearchParams(t.slice(r+1)).get("name")||""}catch{a=""}return{kind:"account",account:o[0],name:a}}function us(e,t){return"pigeon:"+e+(t?"?name="+encodeURIComponent(t):"")}var ps=e=>(e||"").replace(/(\d{5})(?=\d)/g,"$1 ");var $=({name:e,label:t,class:n})=>t?i`<span class=${W("icon","i-"+e,n)} role="img" aria-label=${t}></span>`:i`<span class=${W("icon","i-"+e,n)} aria-hidden="true"></span>`;function Q({name:e,online:t,small:n,group:s,src:o}){return i`<span class=${W("avatar",n&&"small")} aria-hidden="true">
    ${s?i`<${$} name="group" />`:o?i`<img class="avatar-img" src=${o} alt="" />`:ls(e)}
    ${t&&i`<span class="dot"></span>`}
  </span>`}var qo=0;function A({title:e,onClose:t,children:n,actions:s,class:o,label:a}){let r=H(null),c=H("dlg"+ ++qo).current;return We(()=>{let u=r.current,p=document.activeElement;return u.open||u.showModal(),()=>{u.open&&u.close(),p&&p.focus&&document.contains(p)&&p.focus()}},[]),i`<dialog
    ref=${r}
    class=${o}
    aria-labelledby=${a?void 0:c}
    aria-label=${a}
    onCancel=${u=>{u.preventDefault(),t()}}
  >
    <header class="bar">
      <h2 id=${c}>${e}</h2>
      <button type="button" class="icon-btn" aria-label="Close" onClick=${t}><${$} name="close" /></button>
    </header>
    <div class="dialog-body">${n}</div>
    ${s&&i`<div class="dialog-actions">${s}</div>`}
  </dialog>`}function te(){let e=H(null);return M(()=>{e.current&&e.current.focus()},[]),e}async function Se(e){try{return await navigator.clipboard.writeText(e),!0}catch{return!1}}var No=0,Oo=e=>"/v1/messages/"+e+"/quote-thumbnail";function Bo(e){let t=ee(e);d.replying=new Map(d.replying).set(t,e),b();let n=document.getElementById("composer-"+t);n&&n.focus()}function dt(e){if(!d.replying.has(e))return;let t=new Map(d.replying);t.delete(e),d.replying=t,b()}async function Uo(e,t){for(;;){let n=d.chats.get(e);if(!n)return!1;if(n.ids.has(t))break;if(!n.hasOlder)return!1;if(n.loading){await new Promise(a=>setTimeout(a,50));continue}let s=await Ee(e),o=d.chats.get(e);if(!s&&!o.hasOlder&&!o.ids.has(t))return!1}return d.jump={key:e,id:t,seq:++No},b(),!0}function Zt(e,t){let n=e&&e.querySelector('.msg[data-id="'+t+'"]');return n?(n.scrollIntoView({block:"center"}),n.classList.add("highlight"),setTimeout(()=>n.classList.remove("highlight"),2e3),!0):!1}function ds(e){return d.me&&e.author===d.me.account?"You":e.author_name||U(e.author)}function fs(e){return e.state==="deleted"?"This message was deleted":(e.file_name?"📎 "+e.file_name+(e.snippet?" — "+e.snippet:""):e.snippet)||"a file"}function ms({m:e}){let[t,n]=h(!1),s=e.reply_to;if(!s)return null;let o=ee(e),a=s.state!=="ok",r=async()=>{if(a)return;await Uo(o,s.id).catch(u=>(k(u),!0))||n(!0)};return i`<button type="button" class=${W("quote",a&&"gone")} data-quote=${s.id} data-quote-state=${s.state} onClick=${r}
      aria-label=${"Reply to "+ds(s)+": "+fs(s)+(a?"":". Show the original")}>
    ${s.has_thumbnail&&i`<img src=${Oo(e.id)} alt="" width="40" height="40" />`}
    <span class="grow">
      <span class="quote-who">${ds(s)}</span>
      <span class="quote-text">${fs(s)}</span>
      ${s.state==="unknown"&&i`<span class="quote-note">original not on this device</span>`}
      ${t&&i`<span class="quote-note">original not found in this chat</span>`}
    </span>
  </button>`}function hs({m:e}){return i`<button type="button" class="icon-btn reply-btn" aria-label="Reply" title="Reply" onClick=${()=>Bo(e)}><${$} name="reply" /></button>`}function gs({chatKey:e}){let t=_(o=>o.replying.get(e));if(!t)return null;let n=t.direction==="out"?"You":t.sender_name||U(t.sender),s=t.media?"📎 "+(t.media.name||"file")+(t.text?" — "+t.text:""):t.text;return i`<div class="reply-bar" role="status" data-replying=${t.id}>
    <${$} name="reply" />
    <span class="grow">
      <span class="quote-who">Replying to ${n}</span>
      <span class="quote-text">${s}</span>
    </span>
    <button type="button" class="icon-btn" aria-label="Cancel reply" onClick=${()=>dt(e)}><${$} name="close" /></button>
  </div>`}var ys="forever";function en(e){return!e||!e.muted_until?!1:e.muted_until===ys||Date.parse(e.muted_until)>Date.now()}var $s=e=>en(d.convs.find(t=>t.key===e)),pt=e=>({pinned:!!e.pinned,muted_until:e.muted_until||"",archived:!!e.archived});function bs(e,t){let n=t.find(c=>c.key===e.key);n&&Object.assign(e,pt(n));let s=d.archived.findIndex(c=>c.key===e.key);if(s>=0){let c=d.archived.slice();return c[s]={...e,...pt(d.archived[s])},d.archived=c,t}if(n&&n.pinned)return t.map(c=>c===n?e:c);let o=t.filter(c=>c.key!==e.key),a=e.pinned?0:o.findIndex(c=>!c.pinned),r=a<0?o.length:a;return[...o.slice(0,r),e,...o.slice(r)]}async function jo(e,t,n){let s=e.startsWith("g:")?"/v1/groups/"+e.slice(2)+"/prefs":"/v1/conversations/"+e.slice(2)+"/prefs";try{await L(s,t),await n()}catch(o){k(o)}}function vs({c:e,reload:t}){let[n,s]=h(!1),o=en(e),a=r=>()=>(s(!1),jo(e.key,r,t));return i`<span class="chat-menu">
    <button type="button" class="icon-btn" aria-label=${"Chat options"} aria-expanded=${n?"true":"false"} onClick=${()=>s(!n)}><${$} name="more" /></button>
    ${n&&i`<ul class="menu" role="menu">
      <li role="none"><button type="button" role="menuitem" onClick=${a({pinned:!e.pinned})}>${e.pinned?"Unpin":"Pin"}</button></li>
      ${o?i`<li role="none"><button type="button" role="menuitem" onClick=${a({muted_until:null})}>Unmute</button></li>`:i`<li role="none"><button type="button" role="menuitem" onClick=${a({muted_until:new Date(Date.now()+8*36e5).toISOString()})}>Mute for 8 hours</button></li>
            <li role="none"><button type="button" role="menuitem" onClick=${a({muted_until:ys})}>Mute always</button></li>`}
      <li role="none"><button type="button" role="menuitem" onClick=${a({archived:!e.archived})}>${e.archived?"Unarchive":"Archive"}</button></li>
    </ul>`}
  </span>`}function _s({c:e}){return i`${e.pinned&&i`<${$} name="pin" label="pinned" class="mark" />`}${en(e)&&i`<${$} name="mute" label="muted" class="mark" />`}`}function ks({Item:e,current:t}){let n=_(a=>a.archived),[s,o]=h(!1);return n.length?i`<li class="archived-section">
    <button type="button" class="btn archived-toggle" aria-expanded=${s?"true":"false"} onClick=${()=>o(!s)}>
      Archived (${n.length})
    </button>
    ${s&&i`<ul class="chats" aria-label="Archived chats">${n.map(a=>i`<${e} key=${a.key} c=${a} current=${a.key===t} />`)}</ul>`}
  </li>`:null}var mt=50,d={boot:"loading",bootError:"",me:null,conn:"connecting",convs:[],contacts:new Map,groups:new Map,presence:new Map,typing:new Map,progress:new Map,uploads:[],chats:new Map,open:"",identity:new Map,storageFull:!1,autoDownload:null,devices:null,linkOffer:null,linkRequest:null,historySync:null,backup:null,backupRun:null,backupDone:null,setup:null,setupDown:"",toasts:[],replying:new Map,jump:null,archived:[],visible:document.visibilityState==="visible",profiles:new Map,requests:[],blocked:new Set,myProfile:null},Ge=new Set,tn=!1;function b(){tn||(tn=!0,queueMicrotask(()=>{tn=!1;for(let e of Ge)e()}))}function ht(e){return Ge.add(e),()=>Ge.delete(e)}function Fo(e,t){if(Object.is(e,t))return!0;if(!e||!t||typeof e!="object"||typeof t!="object")return!1;let n=Object.keys(e);if(n.length!==Object.keys(t).length)return!1;for(let s of n)if(!Object.is(e[s],t[s]))return!1;return!0}function _(e){let[,t]=rt(o=>o+1,0),n=H(null),s=e(d);return n.current={sel:e,val:s},We(()=>{let o=()=>{let a=n.current;Fo(a.sel(d),a.val)||t()};return Ge.add(o),o(),()=>Ge.delete(o)},[]),s}var Wo=0;function R(e,t="info"){let n=++Wo;d.toasts=[...d.toasts,{id:n,text:e,kind:t}],b(),setTimeout(()=>on(n),t==="error"?8e3:4e3)}function on(e){d.toasts=d.toasts.filter(t=>t.id!==e),b()}function k(e){e instanceof ce&&e.status===401||R(e&&e.message?e.message:String(e),"error")}function U(e){if(!e)return"";if(d.me&&e===d.me.account)return"You";let t=d.contacts.get(e),n=d.profiles.get(e);return t&&t.name||n&&n.name||Y(e)}function V(e){if(e.startsWith("g:")){let s=d.groups.get(e.slice(2));return s&&s.name||"Group "+e.slice(2,10)}let t=d.contacts.get(e.slice(2));if(t&&t.name)return t.name;let n=d.convs.find(s=>s.key===e);return n&&n.name||Y(e.slice(2))}async function X(){let e=await C("/v1/contacts");d.contacts=new Map(e.map(t=>[t.account,t]));for(let t of e)if(t.identity_changed_at&&!d.identity.has(t.account)&&(d.identity=new Map(d.identity).set(t.account,{account:t.account,at:t.identity_changed_at})),!t.identity_changed_at&&d.identity.has(t.account)){let n=new Map(d.identity);n.delete(t.account),d.identity=n}b()}async function gt(){let e=await C("/v1/groups");d.groups=new Map(e.map(t=>[t.id,t])),b()}async function Z(e){try{let t=await C("/v1/groups/"+e);d.groups=new Map(d.groups).set(e,t)}catch(t){if(t.status===404){let n=new Map(d.groups);n.delete(e),d.groups=n}else throw t}b()}function ws(e){return{key:e.group?$e(e.group):le(e.peer),peer:e.peer||"",group:e.group||"",name:e.name||e.profile_name||"",avatar:e.avatar_url||"",last:e.last,unread:e.unread,...pt(e)}}var Ts=0,Rs=new Map;async function se(){let e=Ts,[t,n]=await Promise.all([C("/v1/conversations"),C("/v1/conversations?archived=true")]),s=t.map(ws);d.archived=n.map(ws);for(let a of s)(Rs.get(a.key)||0)>e&&(a.unread=0);let o=new Set(s.concat(d.archived).map(a=>a.key));for(let a of d.groups.values()){let r=$e(a.id);!o.has(r)&&a.status==="active"&&s.push({key:r,peer:"",group:a.id,name:a.name,last:null,unread:0})}d.convs=s,b();for(let a of s.slice(0,30))a.peer&&!d.presence.has(a.peer)&&Is(a.peer)}var xs=0;function K(){clearTimeout(xs),xs=setTimeout(()=>se().catch(()=>{}),300)}var nn=new Set;async function Is(e){if(!nn.has(e)){nn.add(e);try{let t=await C("/v1/presence/"+e);d.presence=new Map(d.presence).set(e,t),b()}catch{}finally{nn.delete(e)}}}async function rn(){d.autoDownload=await C("/v1/media-settings/auto-download"),b()}async function yt(){await Promise.all([X(),gt(),rn().catch(()=>{})]),await se();let e=d.open;d.chats=new Map,d.boot="ready",b(),e&&await cn(e)}function Ho(e){return{key:e,msgs:[],ids:new Set,hasOlder:!0,loading:!1,ready:!1}}function ue(e){d.chats.set(e.key,e),b()}async function cn(e){d.open=e,b();let t=d.chats.get(e);if(!t||!t.ready){t=Ho(e),t.loading=!0,ue(t);try{let n=await C(Vt(e,"",mt)),s=d.chats.get(e),o=n.slice(),a=new Set(n.map(r=>r.id));for(let r of s.msgs)a.has(r.id)||(o.push(r),a.add(r.id));ue({...s,msgs:o,ids:a,hasOlder:n.length===mt,loading:!1,ready:!0})}catch(n){ue({...d.chats.get(e),loading:!1}),k(n)}}e.startsWith("p:")&&Is(e.slice(2)),Ve(e)}function Ps(){d.open="",b()}async function Ee(e){let t=d.chats.get(e);if(!t||!t.ready||t.loading||!t.hasOlder)return 0;ue({...t,loading:!0});try{let n=t.msgs.length?t.msgs[0].id:"",s=await C(Vt(e,n,mt)),o=d.chats.get(e),a=s.filter(r=>!o.ids.has(r.id));for(let r of a)o.ids.add(r.id);return ue({...o,msgs:a.concat(o.msgs),hasOlder:s.length===mt,loading:!1}),a.length}catch(n){return ue({...d.chats.get(e),loading:!1}),k(n),0}}var Cs={pending:0,failed:0,sent:1,received:1,delivered:2,read:3};function Ke(e,{incoming:t=!1}={}){let n=ee(e),s=d.chats.get(n);if(s&&!s.ids.has(e.id))s.ids.add(e.id),ue({...s,msgs:s.msgs.concat([e])});else if(s){let u=s.msgs.findLast(p=>p.id===e.id);u&&(Cs[e.state]??0)>(Cs[u.state]??0)&&z(e.id,p=>({...p,state:e.state,pending:void 0}))}let o=d.convs.findIndex(u=>u.key===n),a=o>=0?d.convs[o]:null;if(a&&a.last&&a.last.id===e.id)return;let r=(a?a.unread:0)+(t&&!(d.open===n&&d.visible)?1:0),c={key:n,peer:e.peer||"",group:e.group||"",name:a&&a.name||e.peer_name||e.group_name||"",last:e,unread:r};d.convs=bs(c,d.convs),b(),!a&&e.group&&!d.groups.has(e.group)&&Z(e.group).catch(()=>{})}function z(e,t){let n=!1;for(let o of d.chats.values()){if(!o.ids.has(e))continue;let a=o.msgs.findLastIndex(c=>c.id===e);if(a<0)continue;let r=o.msgs.slice();r[a]=t(r[a]),ue({...o,msgs:r}),n=!0}let s=d.convs.findIndex(o=>o.last&&o.last.id===e);if(s>=0){let o=d.convs.slice();o[s]={...o[s],last:t(o[s].last)},d.convs=o,n=!0}return n&&b(),n}var sn=new Set;async function Ae(e){for(let t of d.chats.values())if(t.ids.has(e))return;if(!sn.has(e)){sn.add(e);try{Ke(await C("/v1/messages/"+e))}catch{}finally{sn.delete(e)}}}var an=new Map,Ss=new Set;function Ve(e){if(!e||e!==d.open||!d.visible)return;let t=d.convs.find(r=>r.key===e),n=d.chats.get(e),s=n?n.msgs.filter(r=>r.direction==="in"&&r.state==="received").map(r=>r.id):[];if((!t||!t.unread)&&!s.length)return;if(an.has(e)){Ss.add(e);return}let o=new Set(s),a=e.startsWith("g:")?"/v1/groups/"+e.slice(2)+"/read":"/v1/conversations/"+e.slice(2)+"/read";an.set(e,!0),T(a).then(()=>{Rs.set(e,++Ts),d.convs=d.convs.map(c=>c.key===e?{...c,unread:0}:c);let r=d.chats.get(e);r&&ue({...r,msgs:r.msgs.map(c=>o.has(c.id)&&c.state==="received"?{...c,state:"read"}:c)}),b()}).catch(k).finally(()=>{an.delete(e),Ss.delete(e)&&Ve(e)})}function Es(e){d.visible=e,b(),e&&Ve(d.open)}async function As(e,t,n){let s=e.slice(2),o=n?{reply_to:n}:{},a=e.startsWith("g:")?await T("/v1/groups/"+s+"/messages",{text:t,...o}):await T("/v1/messages",{to:s,text:t,...o}),r=await C("/v1/messages/"+a.id);return Ke(r),r}var zo=0;async function Ls(e,t,n,s){let o=++zo,a=t.type.startsWith("image/")?URL.createObjectURL(t):"",r=os({key:e,file:t,caption:n,replyTo:s,onProgress:c=>{d.uploads=d.uploads.map(u=>u.uid===o?{...u,loaded:c}:u),b()}});d.uploads=[...d.uploads,{uid:o,key:e,name:t.name,size:t.size,loaded:0,error:"",abort:r.abort,preview:a}],b();try{let c=await r.promise,u=await C("/v1/messages/"+c);Ke(u),d.uploads=d.uploads.filter(p=>p.uid!==o)}catch(c){c.code==="aborted"?d.uploads=d.uploads.filter(u=>u.uid!==o):d.uploads=d.uploads.map(u=>u.uid===o?{...u,error:c.message}:u),c.code!=="aborted"&&k(c)}finally{a&&setTimeout(()=>URL.revokeObjectURL(a),6e4),b()}}function qs(e){d.uploads=d.uploads.filter(t=>t.uid!==e),b()}var ft=0,Ms=0;function $t(e,t){let n=e.startsWith("g:")?"/v1/groups/"+e.slice(2)+"/typing":"/v1/conversations/"+e.slice(2)+"/typing";clearTimeout(Ms);let s=Date.now();if(t){if(Ms=setTimeout(()=>$t(e,!1),5e3),s-ft<3e3)return;ft=s}else{if(!ft)return;ft=0}T(n,{active:t}).catch(()=>{})}async function ln(e){try{await T("/v1/media/"+e+"/fetch"),z(e,t=>t.media?{...t,media:{...t.media,state:"fetching",error:""}}:t)}catch(t){k(t)}}function Ns(e){d.progress=new Map(d.progress).set(e.id,{phase:e.phase,done:e.done||0,total:e.total||0,direction:e.direction}),b()}function Os(e){if(z(e.id,t=>t.media?{...t,media:{...t.media,state:e.state,error:e.error||"",retry_until:e.retry_until||""}}:t),e.state!=="fetching"&&d.progress.has(e.id)){let t=new Map(d.progress);t.delete(e.id),d.progress=t,b()}}var Ds=0;function Bs(){let e=Date.now(),t=1/0,n=!1,s=new Map;for(let[o,a]of d.typing){let r=new Map;for(let[c,u]of a)u>e?(r.set(c,u),t=Math.min(t,u)):n=!0;r.size&&s.set(o,r)}n&&(d.typing=s,b()),clearTimeout(Ds),t!==1/0&&(Ds=setTimeout(Bs,t-e+50))}function un(e,t,n,s){let o=new Map(d.typing),a=new Map(o.get(e)||[]);n?a.set(t,cs(s)||Date.now()+6e3):a.delete(t),a.size?o.set(e,a):o.delete(e),d.typing=o,b(),Bs()}function Us(e){let t=d.presence.get(e.account)||{};d.presence=new Map(d.presence).set(e.account,{...t,account:e.account,state:e.state,last_seen:e.last_seen||t.last_seen}),b()}async function pn(e,t){await L("/v1/contacts/"+B(e),t?{name:t}:{}),await X(),K()}async function js(e){await T("/v1/contacts/"+B(e)+"/verify");let t=new Map(d.identity);t.delete(e),d.identity=t,await X()}async function Fs(e,t,n){let s=await T("/v1/groups",{name:e,description:t,members:n});return d.groups=new Map(d.groups).set(s.id,s),await se(),s}async function bt(e){let t=await T("/v1/groups/join",{link:e});return await gt(),await se(),t}var vt=new Set;function F(e,{replace:t=!1}={}){if(e!==location.pathname){t?history.replaceState(null,"",e):history.pushState(null,"",e);for(let n of vt)n()}}window.addEventListener("popstate",()=>{for(let e of vt)e()});function Ws(e=location.pathname){let t=e.split("/").filter(Boolean),[n,s,o]=t;return(n==="chat"||n==="group")&&s?{name:"chat",key:(n==="group"?"g:":"p:")+s,info:o==="info"}:n==="contacts"||n==="me"||n==="settings"||n==="requests"?{name:n}:{name:"home"}}function Hs(){let[e,t]=h(()=>Ws());return M(()=>{let n=()=>t(Ws());return vt.add(n),()=>vt.delete(n)},[]),e}function N(e){if(e.defaultPrevented||e.button!==0||e.metaKey||e.ctrlKey||e.shiftKey||e.altKey)return;let t=e.currentTarget;e.preventDefault(),F(t.getAttribute("href"))}var dn=()=>"Notification"in window,_t=()=>dn()?Notification.permission:"unsupported";async function kt(){return dn()?Notification.requestPermission():"unsupported"}function Gs(e,t){if(!document.hidden||!dn()||Notification.permission!=="granted")return;let n=ee(e);if(t||$s(n))return;let s=V(n),o=e.group?U(e.sender)+" in "+s:s,a=e.media?"📎 "+(e.text||e.media.name||"a file"):e.text;try{let r=new Notification(o,{body:a.slice(0,200),tag:n,icon:document.querySelector("link[rel=icon]").href});r.onclick=()=>{window.focus(),F(ne(n)),r.close()}}catch{}}var zs="";function Ks(){let e=0;for(let n of d.convs)e+=n.unread||0;let t=e>0?"("+e+") Pigeon":"Pigeon";t!==zs&&(zs=t,document.title=t)}var Go=["👍","❤️","😂","😮","😢","🙏"],Ko=24*3600*1e3,Vo=48*3600*1e3;function Ys(e){switch(e.type){case"message_edited":z(e.id,t=>({...t,text:e.text,edited:!0,edits:e.edits,edited_at:e.edited_at}))||Ae(e.id);return;case"message_deleted":z(e.id,t=>({...t,deleted:!0}))&&K();return;case"reaction_changed":Yo(e.id);return}}async function Yo(e){try{let t=await C("/v1/messages/"+e);z(e,n=>({...n,reactions:t.reactions,text:t.text,edited:t.edited,edits:t.edits}))}catch{}}function Qs(e){return e.direction==="out"||d.me&&e.sender===d.me.account}function Qo(e){if(Qs(e))return Date.now()-Date.parse(e.sent_at)<Vo;if(!e.group)return!1;let t=d.groups.get(e.group);return!!(t&&t.settings&&t.settings.admins_delete&&(t.role==="admin"||t.role==="owner"))}async function Js(e,t){try{let n=await L("/v1/messages/"+e.id+"/reaction",{emoji:t});z(e.id,s=>({...s,reactions:n.reactions}))}catch(n){k(n)}}async function Vs(e,t){try{await G("/v1/messages/"+e.id+"?for="+(t?"everyone":"me")),z(e.id,n=>({...n,deleted:!0})),K()}catch(n){k(n)}}function Jo({m:e,onClose:t}){let[n,s]=h(e.text||""),o=te();return i`<${A} title="Edit message" onClose=${t} class="edit-dialog">
    <form class="edit-form" onSubmit=${async r=>{r.preventDefault();let c=n.trim();if(!c||c===e.text)return t();try{let u=await L("/v1/messages/"+e.id,{text:c});z(e.id,p=>({...p,text:u.text,edited:!0,edits:u.edits,edited_at:u.edited_at})),t()}catch(u){k(u)}}}>
      <textarea ref=${o} aria-label="New text" value=${n} onInput=${r=>s(r.target.value)}></textarea>
      <p class="muted">${10-(e.edits||0)} edits left. Everyone in the chat sees that it was edited, and the earlier versions.</p>
      <div class="row">
        <button type="submit" class="btn primary">Save</button>
        <button type="button" class="btn" onClick=${t}>Cancel</button>
      </div>
    </form>
  </${A}>`}function Xo({m:e,onClose:t}){let[n,s]=h(null),[o,a]=h("");return n===null&&!o&&C("/v1/messages/"+e.id+"/versions").then(r=>s(r||[])).catch(r=>a(r.message)),i`<${A} title="Edit history" onClose=${t}>
    ${o&&i`<p class="error-text">${o}</p>`}
    ${!n&&!o&&i`<p class="muted">Loading…</p>`}
    ${n&&i`<ol class="list versions">
      ${n.map(r=>i`<li key=${r.version} data-version=${r.version}>
          <span class="grow text">${r.text}</span>
          <span class="muted">${r.version===0?"original":"edit "+r.version} · <time datetime=${r.at}>${be(r.at)}</time></span>
        </li>`)}
    </ol>`}
  </${A}>`}function Zo({m:e,onEdit:t,onClose:n}){let o=Qs(e)&&(e.edits||0)<10&&Date.now()-Date.parse(e.sent_at)<Ko,a=r=>()=>{n(),r()};return i`<div class="msg-menu" role="menu" aria-label="Message actions">
    <div class="react-row" role="group" aria-label="React">
      ${Go.map(r=>i`<button type="button" role="menuitem" class="emoji-btn" aria-label=${"React "+r} onClick=${a(()=>Js(e,r))}>${r}</button>`)}
    </div>
    ${o&&i`<button type="button" role="menuitem" class="menu-item" onClick=${a(t)}>Edit</button>`}
    <button type="button" role="menuitem" class="menu-item" onClick=${a(()=>Vs(e,!1))}>Delete for me</button>
    ${Qo(e)&&i`<button type="button" role="menuitem" class="menu-item danger" onClick=${a(()=>Vs(e,!0))}>Delete for everyone</button>`}
  </div>`}function er({m:e}){if(!e.reactions||!e.reactions.length)return null;let t=d.me&&d.me.account;return i`<div class="reactions" aria-label="Reactions">
    ${e.reactions.map(n=>{let s=(n.accounts||[]).map(a=>a===t?"You":U(a)).join(", "),o=(n.accounts||[]).includes(t);return i`<button
        type="button"
        key=${n.emoji}
        class=${W("reaction",o&&"ours")}
        data-emoji=${n.emoji}
        data-count=${n.count}
        title=${s}
        aria-label=${n.emoji+" "+n.count+": "+s}
        onClick=${()=>Js(e,o?"":n.emoji)}
      >${n.emoji} ${n.count}</button>`})}
  </div>`}function Xs({m:e}){let[t,n]=h("");return i`<div class="msg-actions">
    ${e.edited&&i`<button type="button" class="edited" onClick=${()=>n("versions")} aria-label="Edited: show earlier versions">edited</button>`}
    <${er} m=${e} />
    <button type="button" class="icon-btn msg-menu-btn" aria-haspopup="menu" aria-expanded=${t==="menu"} aria-label="Message actions"
      onClick=${()=>n(t==="menu"?"":"menu")}>⋯</button>
    ${t==="menu"&&i`<${Zo} m=${e} onEdit=${()=>n("edit")} onClose=${()=>n("")} />`}
    ${t==="edit"&&i`<${Jo} m=${e} onClose=${()=>n("")} />`}
    ${t==="versions"&&i`<${Xo} m=${e} onClose=${()=>n("")} />`}
  </div>`}function Zs({g:e}){let t=async n=>{try{await He("/v1/groups/"+e.id,{settings:{...e.settings,admins_delete:n}}),await Z(e.id)}catch(s){k(s)}};return i`<label class="field check">
    <input type="checkbox" checked=${!!(e.settings&&e.settings.admins_delete)} onChange=${n=>t(n.target.checked)} />
    <span>Admins can delete anyone's messages</span>
  </label>`}async function Le(){d.devices=await C("/v1/devices"),b()}var wt=e=>(e||0).toLocaleString("en-US");function tr(e){let t=d.devices&&d.devices.devices.find(n=>n.id===e);return t&&t.name||"device "+e}function ea(e){d.linkRequest=e,b()}function ta(e){d.linkOffer=null,d.linkRequest&&d.linkRequest.peer_id===e.peer_id&&(d.linkRequest=null),b(),R("Linked "+(e.name||"a new device")+". It is getting your history now."),Le().catch(()=>{})}function na(){Le().catch(()=>{})}function sa(e){d.historySync=e,b()}function nr(e){return e.this?"":e.online?"online":e.last_seen?lt(e.last_seen):"not seen since it was linked"}function sr(e,t){let n=Math.max(0,Math.round((Date.parse(e)-t)/1e3));return Math.floor(n/60)+":"+String(n%60).padStart(2,"0")}function ar({offer:e,onAgain:t}){let[n,s]=h(Date.now());return M(()=>{let o=setInterval(()=>s(Date.now()),1e3);return()=>clearInterval(o)},[]),Date.parse(e.expires)<=n?i`<div class="link-offer expired">
      <p>The link code expired.</p>
      <button type="button" class="btn" onClick=${t}>Make a new code</button>
    </div>`:i`<div class="link-offer">
    <p>On the new device run <code>pigeon init --link CODE</code> with this code, or scan it. It works once; keep it to yourself.</p>
    <img class="qr" src=${xe(e.qr_text)} alt="QR code of the link code" width="220" height="220" />
    <textarea class="mono link-code" readonly rows="4" aria-label="Link code" value=${e.code} onFocus=${o=>o.target.select()}></textarea>
    <p class="muted" data-expires=${e.expires}>Expires in ${sr(e.expires,n)}</p>
    <button type="button" class="btn withdraw-link" onClick=${()=>or(e)}>Cancel</button>
  </div>`}async function or(e){try{await ye("DELETE","/v1/devices/link",{code:e.code})}catch(t){k(t)}d.linkOffer=null,b()}function rr({d:e,holdsKey:t}){let[n,s]=h(!1),[o,a]=h(e.name),r=async p=>{p.preventDefault();try{await L("/v1/devices/"+e.id,{name:o.trim()}),s(!1),await Le()}catch(l){k(l)}},c=()=>{a(e.name),s(!0)},u=async()=>{if(confirm("Revoke "+(e.name||"device "+e.id)+"? It stops receiving your messages, and what it sends is no longer accepted. Link it again to use it."))try{await G("/v1/devices/"+e.id),R("Revoked "+(e.name||"device "+e.id)+"."),await Le()}catch(p){k(p)}};return n?i`<li data-device=${e.id}>
      <form class="row grow" onSubmit=${r}>
        <input type="text" class="grow" aria-label="Device name" value=${o} maxlength="64" onInput=${p=>a(p.target.value)} />
        <button type="submit" class="btn" disabled=${!o.trim()}>Save</button>
        <button type="button" class="btn" onClick=${()=>s(!1)}>Cancel</button>
      </form>
    </li>`:i`<li data-device=${e.id}>
    <span class="grow">
      <span class="device-name">${e.name||"Device "+e.id}</span>
      ${e.this&&i` <span class="role">this device</span>`}
      <div class="relay-stats">${[e.platform,nr(e),"added "+Ce(e.added_at).toLowerCase()].filter(Boolean).join(" · ")}</div>
    </span>
    <button type="button" class="btn" onClick=${c} aria-label=${"Rename "+(e.name||"device "+e.id)}>Rename</button>
    ${t&&!e.this&&i`<button type="button" class="btn danger" onClick=${u} aria-label=${"Revoke "+(e.name||"device "+e.id)}>Revoke</button>`}
  </li>`}function ir(){let e=_(n=>n.historySync);if(_(n=>n.devices),!e)return null;let t=tr(e.device);return e.error?i`<p class="history-sync error-text" role="status">Syncing history from ${t} stopped at ${wt(e.done)} (${e.error}); it goes on when the devices meet again.</p>`:(e.done||0)>=(e.total||0)?i`<p class="history-sync muted" role="status">History synced from ${t}: ${wt(e.total)} changes.</p>`:i`<p class="history-sync" role="status">Syncing history from ${t}: ${wt(e.done)} of ${wt(e.total)}</p>`}function aa(){let e=_(s=>s.devices),t=_(s=>s.linkOffer);M(()=>{Le().catch(k);let s=setInterval(()=>Le().catch(()=>{}),3e4);return()=>clearInterval(s)},[]);let n=async()=>{try{d.linkOffer=await T("/v1/devices/link"),b()}catch(s){k(s)}};return i`<div class="card devices">
    <h3>Devices</h3>
    <p class="muted">Your account on other devices: each gets your history and everything you send, receive and read.</p>
    <ul class="list">
      ${(e?e.devices:[]).map(s=>i`<${rr} key=${s.id+":"+s.name} d=${s} holdsKey=${e.holds_account_key} />`)}
    </ul>
    <${ir} />
    ${e&&(e.holds_account_key?t?i`<${ar} offer=${t} onAgain=${n} />`:i`<button type="button" class="btn link-device" onClick=${n}>Link a device</button>`:i`<p class="muted">This device does not hold the account key: link and revoke devices on the one that does.</p>`)}
  </div>`}function oa(){let e=_(n=>n.linkRequest);if(!e)return null;let t=async n=>{d.linkRequest=null,b();try{await T("/v1/devices/link-requests/"+e.id,{accept:n}),n||R("The device was not linked.")}catch(s){k(s)}};return i`<${A}
    title="Link a new device?"
    class="link-request"
    onClose=${()=>t(!1)}
    actions=${i`<button type="button" class="btn" onClick=${()=>t(!1)}>Cancel</button>
      <button type="button" class="btn primary confirm-link" onClick=${()=>t(!0)}>They match, link it</button>`}
  >
    <p><strong class="device-name">${e.name}</strong>${e.platform?" ("+e.platform+")":""} asks to join your account.</p>
    <p class="sas" aria-label=${"Confirmation code "+e.sas} data-sas=${e.sas}>${e.sas.slice(0,3)} ${e.sas.slice(3)}</p>
    <p>Check that the new device shows the same six digits. If it does not, cancel: someone else has your link code.</p>
  <//>`}var cr=49152;async function pe(){let[e,t,n,s]=await Promise.all([C("/v1/profiles").catch(()=>[]),C("/v1/requests").catch(()=>[]),C("/v1/blocked").catch(()=>[]),C("/v1/profile").catch(()=>null)]);d.profiles=new Map(e.map(o=>[o.account,o])),d.requests=t,d.blocked=new Set(n.map(o=>o.account)),d.myProfile=s,b()}function ia(e){switch(e.type){case"profile_changed":case"blocked_changed":case"request_received":case"request_changed":return pe().catch(()=>{}),X().then(K).catch(()=>{}),!0}return!1}function xt(e){let t=d.profiles&&d.profiles.get(e);return t&&t.has_avatar?t.avatar_url:""}async function lr(e){let t=await createImageBitmap(e),n=Math.min(1,256/Math.max(t.width,t.height)),s=document.createElement("canvas");s.width=Math.max(1,Math.round(t.width*n)),s.height=Math.max(1,Math.round(t.height*n)),s.getContext("2d").drawImage(t,0,0,s.width,s.height);for(let o of[.9,.8,.6,.4]){let a=await new Promise(r=>s.toBlob(r,"image/jpeg",o));if(a&&a.size<=cr)return a}throw new Error("the picture does not fit 48 KiB even small: try another one")}async function ur(e){let t=await fetch("/v1/profile/avatar",{method:"PUT",body:e,credentials:"same-origin",headers:{"Content-Type":e.type}});if(!t.ok){let n=await t.json().catch(()=>({}));throw new Error(n.message||"the daemon refused the picture")}}function ca(){let e=_(r=>r.myProfile),[t,n]=h(e?e.name:"");M(()=>n(e?e.name:""),[e&&e.name]);let s=async r=>{r.preventDefault();try{await L("/v1/profile",{name:t}),await pe(),R("Profile saved: your contacts and groups get it.")}catch(c){k(c)}},o=async r=>{let c=r.target.files&&r.target.files[0];if(r.target.value="",!!c)try{await ur(await lr(c)),await pe()}catch(u){k(u)}},a=async()=>{try{await G("/v1/profile/avatar"),await pe()}catch(r){k(r)}};return i`<div class="card profile-card">
    <h3>Profile</h3>
    <p class="muted">Your name and picture, end-to-end encrypted to your contacts and groups.</p>
    <div class="row">
      <${Q} name=${t||"?"} src=${e&&e.has_avatar?e.avatar_url:""} />
      <label class="btn">Choose picture<input type="file" accept="image/*" class="sr-only" onChange=${o} aria-label="Choose a profile picture" /></label>
      ${e&&e.has_avatar&&i`<button type="button" class="btn" onClick=${a}>Remove picture</button>`}
    </div>
    <form class="row" onSubmit=${s}>
      <label class="field grow"><span>Display name</span><input type="text" maxlength="64" value=${t} onInput=${r=>n(r.target.value)} id="profile-name" /></label>
      <button class="btn primary" type="submit">Save</button>
    </form>
  </div>`}function la(){let e=_(t=>t.requests||[]);return e.length?i`<a href="/requests" class="requests-entry" onClick=${N} id="requests-entry">
    <${$} name="person-add" /> <span class="grow">Message requests</span><span class="badge">${e.length}</span>
  </a>`:null}function ra(e){return e.profile_name||e.name||Y(e.peer)}function ua(){let e=_(n=>n.requests||[]),t=async(n,s)=>{try{if(s==="accept"&&await T("/v1/requests/"+B(n.peer)+"/accept",{name:""}),s==="delete"){if(!confirm("Delete this request and its messages?"))return;await G("/v1/requests/"+B(n.peer))}s==="block"&&await T("/v1/requests/"+B(n.peer)+"/block"),await pe(),await X(),K(),s==="accept"&&F("/chat/"+n.peer)}catch(o){k(o)}};return i`<section class="pane page" aria-labelledby="requests-title">
    <header class="bar">
      <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${N}><${$} name="back" /></a>
      <h2 id="requests-title">Message requests</h2>
    </header>
    <div class="page-body">
      <p class="muted">People who are not in your contacts wrote to you. They do not see that you read their messages until you accept.</p>
      <ul class="requests">
        ${e.map(n=>i`<li key=${n.peer} class="card request" data-account=${n.peer}>
            <div class="row">
              <${Q} name=${ra(n)} src=${n.avatar_url||""} />
              <span class="grow"><strong>${ra(n)}</strong><br /><span class="muted">${n.last?n.last.text:""}</span></span>
              <span class="time">${n.last?Pe(n.last.sent_at):""}</span>
            </div>
            <div class="row">
              <button type="button" class="btn primary" onClick=${()=>t(n,"accept")}>Accept</button>
              <button type="button" class="btn" onClick=${()=>t(n,"delete")}>Delete</button>
              <button type="button" class="btn danger" onClick=${()=>t(n,"block")}>Block</button>
            </div>
          </li>`)}
        ${!e.length&&i`<li class="hint">No message requests.</li>`}
      </ul>
    </div>
  </section>`}function pa({account:e}){let t=_(s=>!!(s.blocked&&s.blocked.has(e))),n=async()=>{try{if(t)await G("/v1/blocked/"+B(e));else{if(!confirm("Block this account? Its messages will be dropped on all your devices."))return;await L("/v1/blocked/"+B(e))}await pe()}catch(s){k(s)}};return i`<div class="section">
    <button type="button" class=${"btn"+(t?"":" danger")} onClick=${n} id="block-toggle">
      ${t?"Unblock":"Block"}
    </button>
    ${t&&i`<p class="muted">Blocked: messages from this account are dropped.</p>`}
  </div>`}d.timers=new Map;var da=[[0,"Off"],[300,"5 minutes"],[3600,"1 hour"],[8*3600,"8 hours"],[86400,"1 day"],[7*86400,"1 week"],[28*86400,"4 weeks"]],Ct=[[1,"seconds"],[60,"minutes"],[3600,"hours"],[86400,"days"],[7*86400,"weeks"]],pr=30,dr=365*86400;function Ye(e){if(!e)return"Off";for(let[t,n]of[[7*86400,"week"],[86400,"day"],[3600,"hour"],[60,"minute"],[1,"second"]])if(e%t===0)return e/t+" "+n+(e/t===1?"":"s");return e+" seconds"}var ga=e=>(e.startsWith("g:")?"/v1/groups/":"/v1/conversations/")+B(e.slice(2))+"/timer";function hn(e,t){d.timers=new Map(d.timers).set(e,t||0),b()}async function fr(e){try{hn(e,(await C(ga(e))).seconds)}catch(t){k(t)}}function ya(e){switch(e.type){case"timer_changed":return hn(e.group?$e(e.group):le(e.peer),e.seconds),!0;case"message_expired":return z(e.id,t=>({...t,deleted:!0}))&&K(),!0}return!1}function $a({chatKey:e}){let t=_(a=>a.timers.get(e)),[n,s]=h(!1);M(()=>{t===void 0&&fr(e)},[e,t===void 0]);let o=t>0;return i`<button
      type="button"
      class=${"icon-btn timer-btn"+(o?" on":"")}
      data-seconds=${t===void 0?"":t}
      aria-label=${"Disappearing messages: "+(t===void 0?"…":Ye(t))}
      title=${"Disappearing messages: "+(t===void 0?"…":Ye(t))}
      onClick=${()=>s(!0)}
    >
      <${$} name="clock" />${o&&i`<span class="timer-short">${mr(t)}</span>`}
    </button>
    ${n&&i`<${hr} chatKey=${e} seconds=${t||0} onClose=${()=>s(!1)} />`}`}function mr(e){for(let[t,n]of[[7*86400,"w"],[86400,"d"],[3600,"h"],[60,"m"]])if(e%t===0)return e/t+n;return e+"s"}function ba({seconds:e,pick:t,name:n}){let s=da.some(([p])=>p===e),[o,a]=h(()=>Ct.findLast(([p])=>e&&e%p===0)||Ct[1]),[r,c]=h(s||!e?"":String(e/o[0])),u=p=>{p.preventDefault();let l=Number(r),m=Math.round(l*o[0]);if(!Number.isFinite(l)||l<=0||m<pr||m>dr){R("A timer is from 30 seconds to 365 days: pick a number and unit in between.","error");return}t(m)};return i`<div class="timer-choices" role="radiogroup" aria-label="Disappearing messages timer">
      ${da.map(([p,l])=>i`<label class="field check" key=${p}>
          <input type="radio" name=${n} value=${p} checked=${p===e} onChange=${()=>t(p)} />
          <span>${l}</span>
        </label>`)}
    </div>
    <form class="timer-custom row" onSubmit=${u}>
      <label class="field"><span>Custom${!s&&e?" (now "+Ye(e)+")":""}</span>
        <input type="number" min="1" step="1" name="count" value=${r} onInput=${p=>c(p.target.value)} aria-label="Custom timer" />
      </label>
      <select name="unit" aria-label="Unit" value=${o[0]} onChange=${p=>a(Ct.find(([l])=>l===Number(p.target.value)))}>
        ${Ct.map(([p,l])=>i`<option key=${p} value=${p}>${l}</option>`)}
      </select>
      <button type="submit" class="btn" disabled=${!r}>Set</button>
    </form>`}function hr({chatKey:e,seconds:t,onClose:n}){return i`<${A} title="Disappearing messages" onClose=${n} class="timer-picker">
    <p class="muted">New messages in this chat disappear this long after they are sent (yours) or read (theirs), on every device. Everyone in the chat sees the change.</p>
    <${ba} seconds=${t} pick=${async o=>{try{let a=await L(ga(e),{seconds:o});hn(e,a.seconds),a.change&&Ae(a.change),n()}catch(a){k(a)}}} name="chat-timer" />
  </${A}>`}function St(e){return(e.direction==="out"?"You":e.sender_name||U(e.sender))+" "+e.text}function va({m:e}){return e.deleted?null:i`<div class="msg notice timer-notice" role="note" data-id=${e.id} data-kind="timer">
    <${$} name="clock" /> <span>${St(e)}</span>
  </div>`}function _a({m:e}){return i`<div class="msg notice device-notice" role="note" data-id=${e.id} data-kind="device" title="Messages also go to the account's new devices. The safety number stays the same.">
    <${$} name="shield" /> <span>${St(e)}</span>
  </div>`}function ka({m:e}){if(!(e.expire_after_s>0))return null;let t="Disappears "+Ye(e.expire_after_s)+(e.direction==="out"?" after it was sent":" after you read it");return e.expires_at&&(t="Disappears at "+be(e.expires_at)+" (in "+gr(Date.parse(e.expires_at)-Date.now())+")"),i`<span class="expiry-mark" title=${t} data-expires=${e.expires_at||""}><${$} name="clock" label=${t} /></span>`}function gr(e){let t=Math.max(0,Math.round(e/1e3));return t<60?t+" s":t<3600?Math.round(t/60)+" min":t<86400?Math.round(t/3600)+" h":Math.round(t/86400)+" days"}function wa(){let[e,t]=h(null);return M(()=>{C("/v1/settings/default-timer").then(s=>t(s.seconds||0)).catch(k)},[]),i`<div class="card default-timer" data-seconds=${e===null?"":e}>
    <h3>Default timer for new chats</h3>
    <p class="muted">Chats you start get this disappearing-messages timer with your first message. Each chat's own timer is in its header.</p>
    ${e!==null&&i`<${ba} key=${e} seconds=${e} pick=${async s=>{try{let o=await L("/v1/settings/default-timer",{seconds:s});t(o.seconds||0),R("New chats start with disappearing messages "+(o.seconds?"after "+Ye(o.seconds):"off")+".")}catch(o){k(o)}}} name="default-timer" />`}
  </div>`}var fa=new WeakMap,fn=new Set,ma=0,mn=1/0,ha=d.chats;function xa(e){let t=fa.get(e);if(t)return t;t={at:1/0,unstarted:[]};for(let n of e)n.deleted||!(n.expire_after_s>0)||(n.expires_at?t.at=Math.min(t.at,Date.parse(n.expires_at)):n.direction==="in"&&n.state==="read"&&t.unstarted.push(n.id));return fa.set(e,t),t}var yr=e=>xa(e).at;async function $r(e){try{let t=await C("/v1/messages/"+e);t.expires_at&&z(e,n=>({...n,expires_at:t.expires_at}))}catch{}}function Ca(){d.chats!==ha&&(ha=d.chats,fn.clear(),d.timers.size&&(d.timers=new Map,b()));let e=1/0;for(let t of d.chats.values()){let n=xa(t.msgs);e=Math.min(e,n.at);for(let s of n.unstarted)fn.has(s)||(fn.add(s),$r(s))}e!==mn&&(clearTimeout(ma),mn=e,e!==1/0&&(ma=setTimeout(br,Math.min(Math.max(0,e-Date.now()),2**31-1))))}function br(){mn=1/0;let e=Date.now(),t=[];for(let n of d.chats.values())if(!(yr(n.msgs)>e))for(let s of n.msgs)s.expires_at&&!s.deleted&&Date.parse(s.expires_at)<=e&&t.push(s.id);for(let n of t)z(n,s=>({...s,deleted:!0}));t.length&&K(),Ca()}ht(Ca);var Mt=10;async function ae(){d.backup=await C("/v1/backup"),b()}function Ma(e){switch(e.type){case"backup_progress":return d.backupRun={done:e.done||0,total:e.total==null?-1:e.total},b(),!0;case"backup_done":return d.backupRun=null,d.backupDone=e,b(),ae().catch(()=>{}),!0}return!1}var qe=e=>e?Ce(e)+" "+be(e):"",gn=()=>({kind:"dir",dir:"",bucket:"",prefix:"pigeon",endpoint:"",region:"",pathStyle:!1,access:"",secret:""}),yn=e=>e.kind==="dir"?!!e.dir.trim():!!e.bucket.trim();function $n(e){if(e.kind==="dir")return{place:e.dir.trim()};let t=e.endpoint.trim(),n={endpoint:t,region:e.region.trim(),path_style:e.pathStyle,access_key:e.access.trim(),secret_key:e.secret};t.startsWith("http://")&&(n.insecure=!0);let s=e.prefix.trim().replace(/^\/+|\/+$/g,"");return{place:"s3://"+e.bucket.trim()+(s?"/"+s:""),s3:n}}function bn({loc:e,set:t,legend:n}){let s=o=>a=>t({...e,[o]:a.target.type==="checkbox"?a.target.checked:a.target.value});return i`<fieldset class="field backup-where">
    <legend class="label">${n}</legend>
    <div class="row">
      <label><input type="radio" name="backup-kind" value="dir" checked=${e.kind==="dir"} onChange=${()=>t({...e,kind:"dir"})} /> A folder</label>
      <label><input type="radio" name="backup-kind" value="s3" checked=${e.kind==="s3"} onChange=${()=>t({...e,kind:"s3"})} /> S3-compatible storage</label>
    </div>
    ${e.kind==="dir"?i`<label class="field">
          <span>Folder (its full path on the computer the daemon runs on; a disk or a synced folder that is not this one helps)</span>
          <input type="text" class="backup-folder" spellcheck="false" placeholder="/media/usb/pigeon-backup" value=${e.dir} onInput=${s("dir")} />
        </label>`:i`<div class="backup-s3">
          <div class="row">
            <label class="field grow"><span>Bucket</span><input type="text" class="backup-bucket" spellcheck="false" value=${e.bucket} onInput=${s("bucket")} /></label>
            <label class="field grow"><span>Prefix (a folder in the bucket)</span><input type="text" spellcheck="false" value=${e.prefix} onInput=${s("prefix")} /></label>
          </div>
          <div class="row">
            <label class="field grow"><span>Endpoint (empty: AWS)</span><input type="text" spellcheck="false" placeholder="https://s3.example.com" value=${e.endpoint} onInput=${s("endpoint")} /></label>
            <label class="field grow"><span>Region</span><input type="text" spellcheck="false" placeholder="us-east-1" value=${e.region} onInput=${s("region")} /></label>
          </div>
          <label class="check"><input type="checkbox" checked=${e.pathStyle} onChange=${s("pathStyle")} /> Path-style addressing (MinIO, Garage, Ceph)</label>
          <div class="row">
            <label class="field grow"><span>Access key</span><input type="text" spellcheck="false" autocomplete="off" value=${e.access} onInput=${s("access")} /></label>
            <label class="field grow"><span>Secret key</span><input type="password" autocomplete="new-password" value=${e.secret} onInput=${s("secret")} /></label>
          </div>
        </div>`}
  </fieldset>`}var Da=1024*1024,Ta=e=>({include:!!(e&&e.include),days:e&&e.max_age_days?String(e.max_age_days):"",mb:e&&e.max_size?String(Math.round(e.max_size/Da)):""}),Ra=e=>({include:e.include,max_age_days:e.include&&e.days.trim()?Math.max(0,parseInt(e.days,10)||0):0,max_size:e.include&&e.mb.trim()?Math.max(0,Math.round(parseFloat(e.mb)*Da)||0):0});function Ia({f:e,set:t}){let n=s=>o=>t({...e,[s]:o.target.type==="checkbox"?o.target.checked:o.target.value});return i`<fieldset class="field backup-media">
    <legend class="label">Media</legend>
    <label class="check"><input type="checkbox" class="backup-media-include" checked=${e.include} onChange=${n("include")} /> Include photos, videos and files</label>
    ${e.include&&i`<div class="row">
      <label class="field grow"><span>Only from the last … days (empty: any age)</span><input type="number" min="1" class="backup-media-days" value=${e.days} onInput=${n("days")} /></label>
      <label class="field grow"><span>Only files up to … MB (empty: any size)</span><input type="number" min="1" class="backup-media-mb" value=${e.mb} onInput=${n("mb")} /></label>
    </div>`}
    <p class="muted">Without media, a backup holds your messages, contacts, groups and settings; photos and files are then lost with this device.</p>
  </fieldset>`}function vr({media:e}){let[t,n]=h(()=>Ta(e)),[s,o]=h(!1);return i`<form class="backup-media-form" onSubmit=${async r=>{r.preventDefault();try{await T("/v1/backup/media",Ra(t)),o(!0),await ae()}catch(c){k(c)}}}>
    <${Ia} f=${t} set=${r=>(n(r),o(!1))} />
    <div class="row">
      <button type="submit" class="btn">Save media choice</button>
      ${s&&i`<span class="muted" role="status">Saved: the next backup follows it.</span>`}
    </div>
  </form>`}function Pa(){let[e,t]=h("recovery"),[n,s]=h(""),[o,a]=h(""),r=e==="recovery"||n.length>=Mt&&n===o;return{kind:e,setKind:t,pass:n,setPass:s,again:o,setAgain:a,ok:r}}function Ea({k:e,legend:t}){let{kind:n,setKind:s,pass:o,setPass:a,again:r,setAgain:c}=e,u=n!=="passphrase"||!o&&!r?"":o.length<Mt?"At least "+Mt+" characters.":r&&r!==o?"The two passphrases differ.":"";return i`<fieldset class="field backup-key-kind">
      <legend class="label">${t}</legend>
      <label><input type="radio" name="backup-key" value="recovery" checked=${n==="recovery"} onChange=${()=>s("recovery")} /> A recovery key made for you (64 characters to write down)</label>
      <label><input type="radio" name="backup-key" value="passphrase" checked=${n==="passphrase"} onChange=${()=>s("passphrase")} /> A passphrase I choose</label>
    </fieldset>
    ${n==="passphrase"&&i`<div class="backup-passphrase">
      <p class="warn-text">A passphrase cannot be recovered if you lose it: nobody, not even Pigeon, can open the backups without it.</p>
      <label class="field"><span>Passphrase (at least ${Mt} characters)</span><input type="password" class="backup-pass" autocomplete="new-password" value=${o} onInput=${p=>a(p.target.value)} /></label>
      <label class="field"><span>The passphrase again</span><input type="password" class="backup-pass-again" autocomplete="new-password" value=${r} onInput=${p=>c(p.target.value)} /></label>
      ${u&&i`<p class="error-text" role="alert">${u}</p>`}
    </div>`}`}function _r({st:e,onDone:t,onCancel:n}){let[s,o]=h(gn),a=Pa(),{kind:r,pass:c}=a,[u,p]=h(()=>Ta(e.media)),[l,m]=h(!1),[g,f]=h(""),v=yn(s)&&a.ok;return i`<form class="backup-setup" onSubmit=${async w=>{if(w.preventDefault(),!v)return;m(!0),f("");let{place:x,s3:S}=$n(s),P={to:x};S&&(P.s3=S),r==="passphrase"&&(P.passphrase=c),e.media!==void 0&&(P.media=Ra(u));try{let I=await T("/v1/backup/setup",P);await ae(),t(I&&I.key?I.key:"")}catch(I){f(I.message)}m(!1)}}>
    <${bn} loc=${s} set=${o} legend="Where to keep the backups" />
    <${Ea} k=${a} legend="Key" />
    ${e.media!==void 0&&i`<${Ia} f=${u} set=${p} />`}
    ${g&&i`<p class="error-text backup-error" role="alert">${g}</p>`}
    <div class="row">
      ${n&&i`<button type="button" class="btn" onClick=${n}>Cancel</button>`}
      <button type="submit" class="btn primary" disabled=${l||!v}>${l?"Setting up…":"Set up backups"}</button>
    </div>
  </form>`}function kr({onDone:e,onCancel:t}){let n=Pa(),[s,o]=h(!1),[a,r]=h("");return i`<form class="backup-change-key" onSubmit=${async u=>{if(u.preventDefault(),!!n.ok){o(!0),r("");try{let p=await T("/v1/backup/change-key",n.kind==="passphrase"?{passphrase:n.pass}:{});await ae(),p.key||R("The new passphrase opens your backups now."),e(p.key||"")}catch(p){r(p.message)}o(!1)}}}>
    <p>A new key opens your backups from now on, the ones made so far too; the current key stops opening them.</p>
    <${Ea} k=${n} legend="New key" />
    ${a&&i`<p class="error-text backup-error" role="alert">${a}</p>`}
    <div class="row">
      <button type="button" class="btn" onClick=${t}>Cancel</button>
      <button type="submit" class="btn primary" disabled=${s||!n.ok}>${s?"Changing…":"Change the key"}</button>
    </div>
  </form>`}var wr=e=>e.replace(/[^0-9A-Za-z]/g,"").match(/.{1,4}/g)||[];function xr({recoveryKey:e,onWritten:t}){let[n,s]=h(!1),o=wr(e);return i`<div class="backup-show-key">
    <p class="warn-text" role="alert"><strong>Write this recovery key down now</strong> and keep it somewhere safe, away from this computer. It is shown only this once: without it your backups cannot be restored.</p>
    <p class="recovery-key safety" aria-label="Recovery key" data-key=${e}>
      ${o.map((a,r)=>i`<span key=${r}>${a}</span>`)}
    </p>
    <div class="row">
      <button type="button" class="btn copy-key" onClick=${async()=>s(await Se(o.join(" ")))}>${n?"Copied":"Copy"}</button>
      <button type="button" class="btn primary key-written" onClick=${t}>I wrote it down</button>
    </div>
  </div>`}function Cr({intro:e}){let[t,n]=h(""),[s,o]=h(""),[a,r]=h(!1),c=te();return i`<form class="backup-confirm" onSubmit=${async p=>{p.preventDefault(),r(!0),o("");try{d.backup=await T("/v1/backup/confirm",{key:t}),b(),R("Recovery key confirmed: backups start now.")}catch(l){o(l.message)}r(!1)}}>
    <p>${e}</p>
    <label class="field">
      <span>Recovery key</span>
      <input type="text" class="mono backup-confirm-key" autocomplete="off" spellcheck="false" autocapitalize="characters" value=${t} onInput=${p=>n(p.target.value)} ref=${c} />
    </label>
    ${s&&i`<p class="error-text backup-error" role="alert">${s}</p>`}
    <button type="submit" class="btn primary" disabled=${a||!t.trim()}>Confirm</button>
  </form>`}var Sa="pigeon.backup-key-later",Sr="If you no longer have the key, make a new one (Settings › Backups › New key) while this device still holds the current one: the backups made so far open with the new key too.";function Aa({st:e,onLater:t,where:n}){let[s,o]=h(""),[a,r]=h(""),[c,u]=h(!1),p=async m=>{m.preventDefault(),u(!0),r("");try{d.backup=await T("/v1/backup/check-key",{key:s}),b(),R("That is your backup key: keep it safe.")}catch(g){r(g.code==="wrong_key"?"That is not the key of your backups. "+Sr:g.message)}u(!1)},l=e.recovery_key?"Recovery key":"Passphrase";return i`<form class=${"key-check "+n} onSubmit=${p}>
    <span class="grow">Check that you still have your backup key: type your ${e.recovery_key?"recovery key":"passphrase"}.</span>
    <div class="row">
      <input
        type=${e.recovery_key?"text":"password"}
        class="grow key-check-input mono"
        aria-label=${l}
        autocomplete="off"
        spellcheck="false"
        value=${s}
        onInput=${m=>o(m.target.value)}
      />
      <button type="submit" class="btn" disabled=${c||!s.trim()}>Check</button>
      ${t&&i`<button type="button" class="btn key-check-later" onClick=${t}>Later</button>`}
    </div>
    ${a&&i`<p class="error-text key-check-error" role="alert">${a}</p>`}
  </form>`}function La(){let e=_(o=>o.backup),[t,n]=h(sessionStorage.getItem(Sa)==="1");return!e||!e.set_up||!e.key_check_due||t?null:i`<div class="banner key-check-banner" role="region" aria-label="Backup key check">
    <${Aa} st=${e} onLater=${()=>{sessionStorage.setItem(Sa,"1"),n(!0)}} where="in-banner" />
  </div>`}function Mr(){let[e,t]=h(null),[n,s]=h(""),o=async a=>{s(a?"full":"light"),t(null);try{let r=await fetch("/v1/backup/verify"+(a?"?full=1":""),{method:"POST",credentials:"same-origin"}),c=await r.json().catch(()=>null);if(!r.ok&&!(c&&c.problems))throw new Error(c&&c.error||"verify failed ("+r.status+")");t({...c,full:a}),ae().catch(()=>{})}catch(r){t({error:r.message})}s("")};return i`<div class="backup-verify">
    <div class="row">
      <button type="button" class="btn verify-light" disabled=${!!n} onClick=${()=>o(!1)}>${n==="light"?"Verifying…":"Verify"}</button>
      <button type="button" class="btn verify-full" disabled=${!!n} onClick=${()=>o(!0)}>${n==="full"?"Verifying fully…":"Verify fully"}</button>
    </div>
    <p class="muted">Verify checks that every snapshot’s parts are there; Verify fully downloads and decrypts them all.</p>
    ${e&&(e.error?i`<p class="error-text verify-report" role="alert">${e.error}</p>`:e.problems&&e.problems.length?i`<div class="verify-report" role="alert" data-ok="false">
            <p class="error-text">The backups are damaged: ${e.problems.length} problem${e.problems.length===1?"":"s"}. Back up now to store a sound copy, and keep the damaged place from being used by anything else.</p>
            <ul>${e.problems.map((a,r)=>i`<li key=${r} class="mono">${a}</li>`)}</ul>
          </div>`:i`<p class="verify-report" role="status" data-ok="true">
            ${e.full?"Verified fully":"Verified"}: ${e.snapshots} snapshot${e.snapshots===1?"":"s"}, ${e.chunks} chunks${e.full?", "+q(e.bytes)+" read and decrypted":""}. All good.
          </p>`)}
  </div>`}function Dr({tick:e}){let[t,n]=h(null);return M(()=>{C("/v1/backup/snapshots").then(n).catch(k)},[e]),t?i`<div class="backup-snapshots">
    <h4>Snapshots</h4>
    <ul class="list">
      ${t.map(s=>i`<li key=${s.id} data-snapshot=${s.id}>
          <span class="grow">${qe(s.time)}</span>
          <span class="muted">${s.items} item${s.items===1?"":"s"}</span>
          <span>${q(s.bytes)}</span>
        </li>`)}
      ${!t.length&&i`<li class="muted">No snapshot yet.</li>`}
    </ul>
  </div>`:null}function Tr(e){return e.location&&e.location.startsWith("s3://")?"Check that the store can be reached and that its access key still works, then back up now.":"Check that the folder is there (the disk plugged in) and has free space, then back up now."}function Rr({st:e,onSetupAgain:t,onNewKey:n}){let s=_(l=>l.backupRun),[o,a]=h(!1),[r,c]=h(0),u=async()=>{a(!0),d.backupRun={done:0,total:-1},b();try{let l=await T("/v1/backup/run");R("Backed up: "+q(l.bytes)+" ("+q(l.uploaded||0)+" uploaded).")}catch(l){k(l)}d.backupRun=null,b(),a(!1),c(l=>l+1),ae().catch(()=>{})},p=o||s;return i`<div class="backup-status" data-snapshot=${e.last_snapshot||""}>
    <dl class="facts">
      <dt>Location</dt><dd class="mono backup-location">${e.location}</dd>
      <dt>Key</dt><dd>${e.recovery_key?"Recovery key":"Passphrase"}${e.key_checked_at?", last checked "+qe(e.key_checked_at):""}</dd>
      <dt>Last backup</dt>
      <dd class="backup-last">${e.last_backup?qe(e.last_backup)+" · "+q(e.last_bytes||0)+" · "+q(e.last_uploaded||0)+" uploaded":"None yet"}</dd>
      ${e.next_backup&&i`<dt>Next backup</dt><dd>${qe(e.next_backup)}</dd>`}
      <dt>Last verify</dt><dd>${e.last_verify?qe(e.last_verify):"Not yet"}</dd>
    </dl>
    ${e.last_error&&i`<div class="backup-last-error" role="alert">
      <p class="error-text">The last backup failed ${qe(e.last_error_at)}: ${e.last_error}</p>
      <p>${Tr(e)}</p>
    </div>`}
    ${e.key_check_due&&i`<${Aa} st=${e} where="in-card" />`}
    <div class="backup-run">
      <button type="button" class="btn primary backup-now" disabled=${p} onClick=${u}>${p?"Backing up…":"Back up now"}</button>
      ${p&&i`<div class="backup-progress" role="status">
        ${s&&s.total>0?i`<progress max=${s.total} value=${Math.min(s.done,s.total)} aria-label="Backup progress"></progress>
              <span class="muted">${q(s.done)} of ${q(s.total)} (${ze(s.done,s.total)}%)</span>`:i`<progress aria-label="Backup progress"></progress><span class="muted">${s&&s.done?q(s.done)+" read":"Starting…"}</span>`}
      </div>`}
    </div>
    <${Mr} />
    <${Dr} tick=${r+":"+(e.last_snapshot||"")} />
    ${e.media!==void 0&&i`<${vr} media=${e.media} />`}
    <div class="row">
      <button type="button" class="btn backup-new-key" onClick=${n}>New key</button>
      <button type="button" class="btn backup-again" onClick=${t}>Set up again (another place)</button>
    </div>
  </div>`}function qa(){let e=_(l=>l.backup),t=_(l=>l.backupDone),[n,s]=h(""),[o,a]=h(!1),[r,c]=h(!1);M(()=>{ae().catch(k)},[]);let u;e?!e.set_up||o?u=i`<p class="muted">Backups keep your account, contacts, groups and history, end-to-end encrypted, in a folder or a storage bucket you choose, so that a new device can restore them if this one is lost.</p>
      <${_r}
        st=${e}
        onDone=${l=>{s(l),a(!1)}}
        onCancel=${e.set_up?()=>a(!1):null}
      />`:n?u=i`<${xr} recoveryKey=${n} onWritten=${()=>s("")} />`:r?u=i`<${kr}
      onDone=${l=>{s(l),c(!1)}}
      onCancel=${()=>c(!1)}
    />`:e.recovery_key&&!e.confirmed?u=i`<div class="backup-unconfirmed">
        <p class="warn-text" role="alert">Backups are set up at <span class="mono">${e.location}</span> but <strong>not running</strong>: the recovery key was not typed back yet.</p>
        <${Cr} intro="Type the recovery key you wrote down to confirm it; backups start then." />
        <button type="button" class="btn backup-again" onClick=${()=>a(!0)}>Lost it? Set up again</button>
      </div>`:u=i`<${Rr}
      st=${e}
      onNewKey=${()=>c(!0)}
      onSetupAgain=${()=>confirm("Set up backups again? Backups go to the new place under the new key from now on; the old ones stay where they are.")&&a(!0)}
    />`:u=i`<p class="muted">Loading…</p>`;let p=e?e.set_up?e.confirmed?"running":"unconfirmed":"none":"";return i`<div class="card backups" id="backups" data-state=${p} data-done=${t?t.id||t.error||"":void 0}>
    <h3>Backups</h3>
    ${u}
  </div>`}var de=null,_n="",Qe=0,vn=0,kn=!1,Je=250,Na=0,Oa=Promise.resolve();function Dt(){if(clearTimeout(Na),de)return;kn=!!_n;let e=kn?"?epoch="+encodeURIComponent(_n)+"&after="+Qe:"",t=location.protocol==="https:"?"wss:":"ws:",n=new WebSocket(t+"//"+location.host+"/v1/events"+e);de=n,n.onmessage=s=>{let o;try{o=JSON.parse(s.data)}catch{return}Oa=Oa.then(()=>Ir(o)).catch(a=>console.error("pigeon: event",o.type,a))},n.onclose=()=>{de===n&&(de=null,d.conn="down",b(),Na=setTimeout(Dt,Je),Je=Math.min(Je*2,5e3))}}function wn(){if(!(de&&de.readyState===WebSocket.OPEN)){if(de){let e=de;de=null,e.onclose=null,e.close()}Je=250,Dt()}}async function Ir(e){if(e.type==="hello"){_n=e.epoch||"",vn=e.seq||0,d.conn="live",Je=250,b(),kn||(Qe=vn,await Promise.all([yt(),pe().catch(()=>{}),ae().catch(()=>{})]));return}if(e.type==="reset"){Qe=vn,await Promise.all([yt(),pe().catch(()=>{}),ae().catch(()=>{})]);return}if(typeof e.seq=="number"){if(e.seq<=Qe)return;Qe=e.seq}Pr(e)}function Pr(e){if(!ia(e)&&!ya(e)&&!Ma(e))switch(e.type){case"message_received":{let t=e.message;if(!t)return;let n=t.direction==="in";Ke(t,{incoming:n}),n&&(t.kind!=="device"&&Gs(t,e.muted),Ve(ee(t)),K());return}case"chat_prefs_changed":K();return;case"message_state_changed":{z(e.id,n=>({...n,state:e.state,pending:e.state==="pending"?n.pending:void 0}))||Ae(e.id);return}case"message_edited":case"message_deleted":case"reaction_changed":Ys(e);return;case"message_pending":{let t={code:e.code,reason:e.reason,attempts:e.attempts,next_attempt:e.next_attempt};for(let n of e.ids||[])z(n,s=>s.state==="pending"?{...s,pending:t}:s);return}case"typing":un(le(e.from),e.from,e.active,e.until);return;case"group_typing":un($e(e.group),e.from,e.active,e.until);return;case"presence":Us(e);return;case"group_changed":Z(e.group).then(()=>e.change==="created"||e.change==="member_added"||e.change==="member_joined"?se():null).catch(()=>{});return;case"group_receipt":d.receiptTick=(d.receiptTick||0)+1,b();return;case"media_progress":Ns(e);return;case"media_state":Os(e);return;case"contact_changed":X().then(K).catch(()=>{});return;case"identity_changed":d.identity=new Map(d.identity).set(e.account,e),b(),X().catch(()=>{});return;case"storage":d.storageFull=e.state==="full",b(),d.storageFull&&R("The disk is nearly full: Pigeon cannot store new messages or files until you free some space.","error");return;case"link_request":ea(e);return;case"device_linked":ta(e);return;case"device_revoked":na(e);return;case"history_sync":sa(e);return;case"dropped":yt().catch(()=>{}),gt().catch(()=>{});return}}var Ba=20,Er=250;function Ar(e){let t=new TextEncoder().encode(e.text),n=new TextDecoder,s=[],o=0;for(let[a,r]of e.ranges||[]){if(a<o||r>t.length||a>r)break;a>o&&s.push({text:n.decode(t.subarray(o,a))}),s.push({text:n.decode(t.subarray(a,r)),mark:!0}),o=r}return o<t.length&&s.push({text:n.decode(t.subarray(o))}),s}function Lr({h:e}){let t=e.message,n=ee(t),s=t.group?t.group_name||V(n):t.peer_name||V(n),o=t.direction==="out"?"You":t.sender_name||U(t.sender);return i`<li>
    <a
      href=${ne(n)}
      class="search-hit"
      data-id=${t.id}
      onClick=${a=>{a.button!==0||a.metaKey||a.ctrlKey||a.shiftKey||a.altKey||(a.preventDefault(),qr(n,t.id))}}
    >
      <span class="top">
        <span class="name">${s}</span>
        <span class="time">${Pe(t.sent_at)}</span>
      </span>
      <span class="snippet">
        ${t.group||t.direction==="out"?o+": ":""}${e.snippet.field==="file_name"?"📎 ":""}
        ${Ar(e.snippet).map(a=>a.mark?i`<mark>${a.text}</mark>`:a.text)}
      </span>
    </a>
  </li>`}function Ua(){let[e,t]=h(""),[n,s]=h(null),[o,a]=h(!1),r=H(0),c=e.trim();M(()=>{if(!c){s(null);return}let p=++r.current,l=setTimeout(async()=>{try{let m=await C("/v1/search?q="+B(c)+"&limit="+Ba);p===r.current&&s({q:c,hits:m.hits,next:m.next_cursor||""})}catch(m){if(p!==r.current)return;m.status===400?s({q:c,hits:[],next:"",error:m.message}):k(m)}},Er);return()=>clearTimeout(l)},[c]);let u=async()=>{if(!(!n||!n.next||o)){a(!0);try{let p=await C("/v1/search?q="+B(n.q)+"&limit="+Ba+"&cursor="+B(n.next));s(l=>l&&l.q===n.q?{...l,hits:l.hits.concat(p.hits),next:p.next_cursor||""}:l)}catch(p){k(p)}finally{a(!1)}}};return i`<div class="msg-search" role="search">
    <label>
      <${$} name="search" />
      <span class="sr-only">Search messages</span>
      <input
        type="search"
        id="message-search"
        placeholder="Search messages"
        value=${e}
        onInput=${p=>t(p.target.value)}
        onKeyDown=${p=>p.key==="Escape"&&t("")}
      />
    </label>
    ${n&&i`<div class="search-results" aria-live="polite">
      ${n.error?i`<p class="hint" role="alert">${n.error}</p>`:n.hits.length?i`<ul aria-label="Search results">
              ${n.hits.map(p=>i`<${Lr} key=${p.message.id} h=${p} />`)}
            </ul>`:i`<p class="hint">No message matches “${n.q}”.</p>`}
      ${n.next&&i`<button type="button" class=${W("btn","more")} disabled=${o} onClick=${u}>More results</button>`}
    </div>`}
  </div>`}var Me=null,Xe=null;function qr(e,t){Me={key:e,id:t},F(ne(e)),Xe&&Xe.scroller&&Xe.props.chat.key===e&&Tt(Xe)}function Tt(e){Xe=e;let t=e.props.chat;if(!Me||Me.key!==t.key||!e.scroller)return;let n=t.msgs,s=n.findIndex(p=>p.id===Me.id);if(s<0){if(!t.ready||t.loading)return;if(!t.hasOlder){Me=null;return}Ee(t.key);return}let{start:o,end:a}=e.state;if(s<o||s>=a){let p=Math.max(0,s-25);e.setState({start:p,end:Math.min(n.length,Math.max(s+25,p+50)),stick:!1});return}let r=e.scroller.querySelector('.msg[data-id="'+Me.id+'"]');if(!r)return;Me=null,e.state.stick&&e.setState({stick:!1}),r.scrollIntoView({block:"center"}),r.classList.add("found"),setTimeout(()=>r.classList.remove("found"),2500);let c=e.scroller,u=p=>{if(!p||!r.isConnected)return;let l=c.getBoundingClientRect(),m=r.getBoundingClientRect();(m.top<l.top||m.bottom>l.bottom)&&r.scrollIntoView({block:"center"}),requestAnimationFrame(()=>u(p-1))};requestAnimationFrame(()=>u(60))}function Nr(e){let t=e.last;if(!t)return e.group?"No messages yet":"";if(t.kind==="timer"||t.kind==="device")return St(t);let n="";return t.direction==="out"?n="You: ":t.group&&(n=(t.sender_name||U(t.sender))+": "),t.media?n+"📎 "+(t.text?t.text:t.media.name||"file"):n+t.text}function ja({c:e,current:t}){let n=e.name||V(e.key),s=_(c=>e.peer?c.presence.get(e.peer):null),o=_(c=>c.typing.has(e.key)),a=s&&s.state==="online",r=n+(e.unread?", "+e.unread+" unread":"")+(a?", online":"");return i`<li>
    <a
      href=${ne(e.key)}
      class=${W("chat-item",e.unread>0&&"unread")}
      aria-current=${t?"page":void 0}
      aria-label=${r}
      onClick=${N}
      data-key=${e.key}
    >
      <${Q} name=${n} group=${!!e.group} online=${a} src=${e.avatar} />
      <span class="grow">
        <span class="top">
          <span class="name">${n}</span>
          <${_s} c=${e} />
          <span class="time">${e.last?Pe(e.last.sent_at):""}</span>
        </span>
        <span class="bottom">
          <span class="preview">${o?i`<em>typing…</em>`:Nr(e)}</span>
          ${e.unread>0&&i`<span class="badge" aria-hidden="true">${e.unread}</span>`}
        </span>
      </span>
    </a>
    <${vs} c=${e} reload=${se} />
  </li>`}function Or(){let[e,t]=h(_t()),[n,s]=h(localStorage.getItem("pigeon.notify-banner")==="no");return e!=="default"||n?null:i`<div class="banner">
    <span class="grow">Get notified of new messages while this tab is in the background.</span>
    <button type="button" class="btn" onClick=${async()=>t(await kt())}>Turn on</button>
    <button
      type="button"
      class="icon-btn"
      aria-label="Not now"
      onClick=${()=>{localStorage.setItem("pigeon.notify-banner","no"),s(!0)}}
    ><${$} name="close" /></button>
  </div>`}function Fa({current:e,onNewGroup:t,onAddContact:n,onJoin:s}){let o=_(m=>m.convs),a=_(m=>m.conn),r=_(m=>m.me),[c,u]=h(""),p=c.trim().toLowerCase(),l=p?o.filter(m=>(m.name||V(m.key)).toLowerCase().includes(p)||(m.peer||m.group).startsWith(p)):o;return i`<nav class="sidebar" aria-label="Chats">
    <header class="bar">
      <a href="/me" class="icon-btn" onClick=${N} aria-label="My account and QR code"><${Q} small name=${r?"Me":"?"} /></a>
      <h1 class="brand">Pigeon</h1>
      <button type="button" class="icon-btn" aria-label="New group" onClick=${t}><${$} name="group" /></button>
      <button type="button" class="icon-btn" aria-label="Add contact" onClick=${n}><${$} name="person-add" /></button>
      <button type="button" class="icon-btn" aria-label="Join a group by link" onClick=${s}><${$} name="link" /></button>
      <a href="/contacts" class="icon-btn" onClick=${N} aria-label="Contacts"><${$} name="people" /></a>
      <a href="/settings" class="icon-btn" onClick=${N} aria-label="Settings"><${$} name="gear" /></a>
    </header>
    ${a==="down"&&i`<div class="conn" role="status">Connection to the daemon lost; reconnecting…</div>`}
    <${Or} />
    <${La} />
    <${Ua} />
    <div class="filter" role="search">
      <label>
        <${$} name="search" />
        <span class="sr-only">Filter chats</span>
        <input
          type="search"
          placeholder="Filter chats (Ctrl+K: go to any chat)"
          value=${c}
          onInput=${m=>u(m.target.value)}
          onKeyDown=${m=>{m.key==="Enter"&&p&&l.length&&(m.preventDefault(),F(ne(l[0].key)))}}
          id="chat-filter"
        />
      </label>
    </div>
    <${la} />
    <ul class="chats" aria-label="Chat list">
      ${l.map(m=>i`<${ja} key=${m.key} c=${m} current=${m.key===e} />`)}
      ${!p&&i`<${ks} Item=${ja} current=${e} />`}
      ${!l.length&&i`<li class="hint">${p?"No chat matches “"+c+"”.":i`No chats yet. <a href="/contacts" onClick=${N}>Start one</a> with a contact, or add one by their account ID.`}</li>`}
    </ul>
  </nav>`}var Ha={pending:"pending",sent:"sent",delivered:"delivered",read:"read",failed:"not sent"},Br={pending:"clock",sent:"check",delivered:"check2",read:"check2",failed:"alert"};function xn({state:e}){let t=Br[e];return t?i`<span class=${W("icon","i-"+t,"tick","tick-"+e)} role="img" aria-label=${Ha[e]} data-state=${e}></span>`:null}function za(e,t){if(!e||!t)return{width:240,height:180};let n=Math.min(1,300/e,320/t);return{width:Math.max(40,Math.round(e*n)),height:Math.max(40,Math.round(t*n))}}function Wa(e,t){switch(e.state){case"fetching":return t&&t.total?"downloading "+ze(t.done,t.total)+"%":"downloading…";case"retrying":return"waiting for the sender to come online…";case"failed":return"download failed"+(e.error?": "+e.error:"");case"removed":return"removed from this device";case"remote":return"not downloaded"}return""}function Ga({prog:e,label:t}){return!e||!e.total?i`<progress aria-label=${t}></progress>`:i`<progress aria-label=${t} max=${e.total} value=${e.done}></progress>`}function Ka({media:e,prog:t}){let n=e.state==="local",s=e.state==="fetching"||e.state==="retrying",o=t&&t.direction==="download"?t:null;return i`<div class="file-card" data-media-state=${e.state}>
    <${$} name="doc" class="big" />
    <div class="grow">
      <div class="file-name" title=${e.name}>${e.name||"file"}</div>
      <div class="file-meta">${q(e.size)}${e.mime?" · "+e.mime:""}${Wa(e,o)&&" · "+Wa(e,o)}</div>
      ${s&&i`<${Ga} prog=${o} label=${"Downloading "+(e.name||"file")} />`}
    </div>
    ${n?i`<button type="button" class="icon-btn" aria-label=${"Save "+(e.name||"file")} onClick=${()=>Qt(e.id,e.name)}>
          <${$} name="download" />
        </button>`:!s&&i`<button type="button" class="icon-btn" aria-label=${"Download "+(e.name||"file")+", "+q(e.size)} onClick=${()=>ln(e.id)}>
          <${$} name="download" />
        </button>`}
  </div>`}function Ur({media:e,prog:t,onOpen:n}){let s=e.state==="local",o=za(e.width,e.height),a=s?Ie(e.id):e.thumbnail?Yt(e.id):"";if(!a)return i`<${Ka} media=${e} prog=${t} />`;let r=e.state==="fetching"||e.state==="retrying";return i`<div>
    <button type="button" class=${W("media-img",!s&&"remote")} onClick=${n} aria-label=${"Open picture "+(e.name||"")}>
      <img src=${a} alt=${e.caption||e.name||"picture"} width=${o.width} height=${o.height} loading="lazy" decoding="async" />
    </button>
    ${!s&&i`<div class="row file-meta">
      ${r?i`<${Ga} prog=${t} label=${"Downloading "+(e.name||"picture")} />`:i`<button type="button" class="btn" onClick=${()=>ln(e.id)}><${$} name="download" /> ${q(e.size)}</button>`}
    </div>`}
  </div>`}function Va({media:e,onClose:t}){return i`<${A} title=${e.name||"Picture"} onClose=${t} class="viewer">
    <div class="viewer-body">
      <img src=${Ie(e.id)} alt=${e.caption||e.name||"picture"} />
    </div>
    <div class="row">
      <button type="button" class="btn" onClick=${()=>Qt(e.id,e.name)}><${$} name="download" /> Save</button>
    </div>
  </${A}>`}function jr({media:e,prog:t,onOpen:n}){let s=e.mime||"",o=e.state==="local";return s.startsWith("image/")?i`<${Ur} media=${e} prog=${t} onOpen=${n} />`:s.startsWith("video/")?i`<video
      class="media-video"
      controls
      preload=${o?"metadata":"none"}
      poster=${e.thumbnail?Yt(e.id):void 0}
      src=${Ie(e.id)}
      aria-label=${"Video "+(e.name||"")}
      width=${za(e.width,e.height).width}
    ></video>`:s.startsWith("audio/")?i`<audio class="media-audio" controls preload=${o?"metadata":"none"} src=${Ie(e.id)} aria-label=${"Audio "+(e.name||"")}></audio>`:i`<${Ka} media=${e} prog=${t} />`}function Ya({m:e,onClose:t}){let n=_(l=>l.receiptTick||0),s=_(l=>l.groups.get(e.group)),[o,a]=h(null),[r,c]=h("");M(()=>{C("/v1/groups/"+e.group+"/messages/"+e.id+"/receipts").then(l=>a(l.receipts||{})).catch(l=>c(l.message))},[n,e.id,e.group]);let u=s?s.members.filter(l=>!d.me||l.account!==d.me.account):[],p=new Set([...u.map(l=>l.account),...Object.keys(o||{})]);return i`<${A} title="Message info" onClose=${t}>
    <p class="text">${e.media?"📎 "+(e.media.name||"file")+(e.text?" — "+e.text:""):e.text}</p>
    ${r&&i`<p class="error-text">${r}</p>`}
    ${!o&&!r&&i`<p class="muted">Loading…</p>`}
    ${o&&i`<ul class="list receipts">
      ${[...p].map(l=>{let m=o[l]||"";return i`<li key=${l} data-account=${l} data-receipt=${m||"none"}>
          <span class="grow">${U(l)}</span>
          <span class="muted">${m==="read"?"Read":m==="delivered"?"Delivered":"Not yet delivered"}</span>
          <${xn} state=${m==="read"?"read":m==="delivered"?"delivered":"sent"} />
        </li>`})}
    </ul>`}
  </${A}>`}var Qa=ns(function({m:t,sender:n,prog:s,onOpen:o,onInfo:a}){if(t.deleted)return null;if(t.kind==="timer")return i`<${va} m=${t} />`;if(t.kind==="device")return i`<${_a} m=${t} />`;let r=t.direction==="out";return i`<div class=${W("msg",r?"out":"in")} data-id=${t.id} data-state=${t.state}>
    <div class="bubble">
      ${n?i`<span class="sender">${n}</span>`:i`<span class="sr-only">${r?"You:":""}</span>`}
      ${t.reply_to&&i`<${ms} m=${t} />`}
      ${t.media&&i`<${jr} media=${t.media} prog=${s} onOpen=${()=>o(t.media)} />`}
      ${t.text&&i`<span class="text">${t.text}</span>`}
      <span class="meta">
        <${ka} m=${t} />
        <time datetime=${t.sent_at}>${be(t.sent_at)}</time>
        ${r&&(t.group?i`<button type="button" aria-label=${"Message info: "+(Ha[t.state]||t.state)} onClick=${()=>a(t)}><${xn} state=${t.state} /></button>`:i`<${xn} state=${t.state} />`)}
        <${hs} m=${t} />
      </span>
      ${r&&t.state==="pending"&&t.pending&&t.pending.reason&&i`<span class="why">${t.pending.reason}</span>`}
      <${Xs} m=${t} />
    </div>
  </div>`});function Ja({u:e,onCancel:t}){return i`<div class="msg out upload" data-upload=${e.name}>
    <div class="bubble">
      ${e.preview&&i`<img src=${e.preview} alt="" />`}
      <div class="file-name">${e.name}</div>
      <div class="file-meta">${e.error?i`<span class="error-text">${e.error}</span>`:"sending "+ze(e.loaded,e.size)+"% of "+q(e.size)}</div>
      ${!e.error&&i`<progress aria-label=${"Sending "+e.name} max=${e.size||1} value=${e.loaded}></progress>`}
      <div class="row"><button type="button" class="btn" onClick=${t}>${e.error?"Dismiss":"Cancel"}</button></div>
    </div>
  </div>`}var Fr=0;function Xa({chatKey:e,dropped:t}){let[n,s]=h(""),[o,a]=h([]),[r,c]=h(!1),u=H(null),p=H(null),l=y=>{let w=[...y].map(x=>({id:++Fr,file:x,preview:x.type.startsWith("image/")?URL.createObjectURL(x):""}));w.length&&a(x=>x.concat(w)),u.current&&u.current.focus()},m=y=>a(w=>w.filter(x=>(x.id===y&&x.preview&&URL.revokeObjectURL(x.preview),x.id!==y)));M(()=>{t&&t.length&&l(t)},[t]),M(()=>{u.current&&u.current.focus({preventScroll:!0})},[]),M(()=>{let y=u.current;y&&(y.style.height="auto",y.style.height=y.scrollHeight+2+"px")},[n]);let g=async()=>{let y=n.trim();if(r||!y&&!o.length)return;let w=o,x=d.replying.get(e);if(s(""),a([]),$t(e,!1),w.length){dt(e),w.forEach((S,P)=>{Ls(e,S.file,P===0?y:"",P===0&&x?x.id:"").finally(()=>S.preview&&URL.revokeObjectURL(S.preview))});return}c(!0);try{await As(e,y,x?x.id:""),dt(e)}catch(S){s(y),k(S)}finally{c(!1),u.current&&u.current.focus()}},f=y=>{y.key==="Enter"&&!y.shiftKey&&!y.isComposing&&(y.preventDefault(),g())},v=y=>{let w=y.clipboardData&&y.clipboardData.files;w&&w.length&&(y.preventDefault(),l(w))};return i`<div class="composer-wrap">
    <${gs} chatKey=${e} />
    ${o.length>0&&i`<ul class="staged" aria-label="Files to send">
      ${o.map(y=>i`<li class="staged-item" key=${y.id}>
          ${y.preview?i`<img src=${y.preview} alt="" />`:i`<${$} name="doc" />`}
          <span class="grow">${y.file.name} <span class="muted">${q(y.file.size)}</span></span>
          <button type="button" class="icon-btn" aria-label=${"Remove "+y.file.name} onClick=${()=>m(y.id)}><${$} name="close" /></button>
        </li>`)}
    </ul>`}
    <form
      class="composer"
      onSubmit=${y=>{y.preventDefault(),g()}}
    >
      <button type="button" class="icon-btn" aria-label="Attach files" onClick=${()=>p.current.click()}><${$} name="attach" /></button>
      <input ref=${p} type="file" multiple hidden aria-hidden="true" tabindex="-1" onChange=${y=>(l(y.target.files),y.target.value="")} />
      <label class="sr-only" for=${"composer-"+e}>${o.length?"Caption":"Message"}</label>
      <textarea
        id=${"composer-"+e}
        ref=${u}
        rows="1"
        placeholder=${o.length?"Add a caption":"Type a message"}
        value=${n}
        onInput=${y=>{s(y.target.value),y.target.value&&$t(e,!0)}}
        onKeyDown=${f}
        onPaste=${v}
        aria-describedby="composer-help"
      ></textarea>
      <span id="composer-help" class="sr-only">Enter sends, Shift+Enter starts a new line. Paste or drop files to attach them.</span>
      <button type="submit" class="icon-btn send" aria-label="Send" disabled=${r}><${$} name="send" /></button>
    </form>
  </div>`}var Rt=200,oe=50,Za=600,Wr=(e,t)=>e===t||e.length===t.length&&e.every((n,s)=>n===t[s]);function Hr({chatKey:e}){let t=_(n=>{let s=n.chats.get(e);return s?{loading:s.loading,hasOlder:s.hasOlder,ready:s.ready,empty:!s.msgs.length}:{empty:!0}});return t.loading?i`<p class="older" role="status">Loading older messages…</p>`:t.hasOlder?i`<p class="older"> </p>`:i`<p class="older">${t.ready?t.empty?"No messages yet":"The beginning of this chat":""}</p>`}var Cn=class extends he{constructor(t){super(t),this.state={msgs:null,start:0,end:0,stick:!0,wantUp:!1},this.scroller=null,this.raf=0,this.olderFrom=0,this.openMedia=n=>t.onOpenMedia(n),this.openInfo=n=>t.onInfo(n),this.onScroll=()=>{this.raf||(this.raf=requestAnimationFrame(()=>(this.raf=0,this.check())))},this.setRef=n=>this.scroller=n,this.jump=()=>{let n=this.props.chat.msgs.length;this.setState({start:Math.max(0,n-oe),end:n,stick:!0})}}static getDerivedStateFromProps(t,n){let s=t.chat.msgs;if(s===n.msgs)return null;let o=s.length;if(!n.msgs||!n.msgs.length||!o)return{msgs:s,start:Math.max(0,o-oe),end:o,stick:!0,wantUp:!1};let a=n.msgs[0].id,r=0;if(s[0].id!==a&&(r=s.findIndex(m=>m.id===a),r<0))return{msgs:s,start:Math.max(0,o-oe),end:o,stick:!0,wantUp:!1};let c=s[o-1];if(c.direction==="out"&&c.id!==n.msgs[n.msgs.length-1].id&&!n.msgs.some(m=>m.id===c.id))return{msgs:s,start:Math.max(0,o-oe),end:o,stick:!0,wantUp:!1};let u=n.start+r,p=n.end+r,l=n.end===n.msgs.length;return n.wantUp&&r>0?(u=Math.max(0,u-oe),p=Math.min(p,u+Rt)):l&&n.stick&&(p=o,u=Math.max(u,p-Rt)),{msgs:s,start:u,end:p,wantUp:n.wantUp&&r===0}}shouldComponentUpdate(t,n){let s=this.props,o=this.state;return t.chat.msgs!==s.chat.msgs||t.jump!==s.jump||t.group!==s.group||t.progress!==s.progress||!Wr(t.uploads,s.uploads)||n.msgs!==o.msgs||n.start!==o.start||n.end!==o.end||n.stick!==o.stick}getSnapshotBeforeUpdate(){let t=this.scroller;if(!t)return null;if(this.state.stick)return{stick:!0};let n=t.scrollTop;for(let s of t.querySelectorAll(".msg[data-id]"))if(s.offsetTop+s.offsetHeight>n)return{id:s.dataset.id,delta:s.offsetTop-n};return null}componentDidMount(){this.ro=new ResizeObserver(()=>{let t=this.scroller;t&&this.state.stick&&(t.scrollTop=t.scrollHeight)}),this.observeRows(),this.scroller.scrollTop=this.scroller.scrollHeight,this.check(),Tt(this)}componentDidUpdate(t,n,s){let o=this.scroller;if(s&&s.stick)o.scrollTop=o.scrollHeight;else if(s&&s.id){let a=o.querySelector('.msg[data-id="'+s.id+'"]');a&&(o.scrollTop=a.offsetTop-s.delta)}this.olderFrom&&n.msgs!==this.state.msgs&&n.msgs&&this.state.msgs[0]!==n.msgs[0]&&(performance.measure("pigeon:older-page",{start:this.olderFrom,end:performance.now()}),this.olderFrom=0),this.observeRows(),this.props.jump&&this.props.jump!==this.jumped&&this.showJump(this.props.jump),this.raf||(this.raf=requestAnimationFrame(()=>(this.raf=0,this.check()))),Tt(this)}showJump(t){let n=this.props.chat.msgs,s=n.findIndex(a=>a.id===t.id);if(s<0)return;if(this.jumped=t,s>=this.state.start&&s<this.state.end){Zt(this.scroller,t.id);return}let o=Math.max(0,s-oe);this.setState({start:o,end:Math.min(n.length,Math.max(s+oe,o+oe)),stick:!1},()=>Zt(this.scroller,t.id))}componentWillUnmount(){cancelAnimationFrame(this.raf),this.ro&&this.ro.disconnect()}observeRows(){if(!(!this.ro||!this.scroller))for(let t of this.scroller.children)this.ro.observe(t)}check(){let t=this.scroller;if(!t)return;let{chat:n}=this.props,{start:s,end:o}=this.state,a=n.msgs.length,r=t.scrollHeight-t.scrollTop-t.clientHeight,c=r<40&&o===a;if(c!==this.state.stick&&this.setState({stick:c}),t.scrollTop<Za)if(s>0){let u=Math.max(0,s-oe);this.setState({start:u,end:Math.min(o,u+Rt),stick:!1})}else n.hasOlder&&!n.loading&&!this.state.wantUp&&(this.olderFrom=performance.now(),Ee(n.key).then(u=>{u||(this.olderFrom=0,this.setState({wantUp:!1}))}),this.setState({wantUp:!0}));else if(r<Za&&o<a){let u=Math.min(a,o+oe);this.setState({end:u,start:Math.max(s,u-Rt)})}}render({chat:t,group:n,progress:s,uploads:o},{start:a,end:r,stick:c}){let u=t.msgs,p=[];a===0&&p.push(i`<${Hr} key="older" chatKey=${t.key} />`);for(let l=a;l<r;l++){let m=u[l],g=l>0?u[l-1]:null,f=Xt(m.sent_at),v=!g||Xt(g.sent_at)!==f;v&&p.push(i`<div class="day" role="separator" key=${"d"+m.id}>${Ce(m.sent_at)}</div>`);let y=n&&m.direction==="in"&&(v||g.sender!==m.sender||g.direction!=="in")?m.sender_name||U(m.sender):"",w=m.media?s.get(m.media.id):void 0;p.push(i`<${Qa} key=${m.id} m=${m} sender=${y} prog=${w} onOpen=${this.openMedia} onInfo=${this.openInfo} />`)}if(r===u.length)for(let l of o)p.push(i`<${Ja} key=${"u"+l.uid} u=${l} onCancel=${()=>l.error?qs(l.uid):l.abort()} />`);return i`<div
        class="messages"
        ref=${this.setRef}
        onScroll=${this.onScroll}
        tabindex="0"
        aria-label="Messages"
        data-start=${a}
        data-end=${r}
        data-total=${u.length}
      >
        ${p}
      </div>
      ${(!c||r<u.length)&&i`<button type="button" class="btn jump" onClick=${this.jump} aria-label="Jump to the latest message"><${$} name="down" /> Latest</button>`}`}};function zr({chatKey:e,group:t,info:n}){let s=e.startsWith("g:"),o=e.slice(2),a=_(()=>V(e)),r=_(g=>s?null:g.presence.get(o)),c=_(()=>s?"":xt(o)),u=_(g=>g.typing.get(e)),p="",l=!1;if(u&&u.size){l=!0;let g=[...u.keys()].map(U);p=s?g.join(", ")+(g.length>1?" are typing…":" is typing…"):"typing…"}else s?p=t?t.members.map(g=>d.me&&g.account===d.me.account?"You":g.name||U(g.account)).join(", "):"":r&&(p=r.state==="online"?"online":r.last_seen?lt(r.last_seen):"");let m=(s?"/group/":"/chat/")+o+"/info";return i`<header class="bar">
    <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${N}><${$} name="back" /></a>
    <${Q} name=${a} group=${s} online=${r&&r.state==="online"} src=${c} />
    <div class="title">
      <button type="button" onClick=${()=>F(n?m.slice(0,-5):m)} aria-label=${(n?"Hide":"Show")+" details of "+a}>
        <h2>${a}</h2>
        <span class=${W("subtitle",l&&"typing")} data-presence=${r?r.state:""}>${p}</span>
      </button>
    </div>
    <${$a} chatKey=${e} />
    <a href=${n?m.slice(0,-5):m} class="icon-btn" onClick=${N} aria-label=${s?"Group details":"Contact details"} aria-pressed=${n?"true":"false"}>
      <${$} name="info" />
    </a>
  </header>`}function Gr({chat:e}){let[t,n]=h(""),s=H("");return M(()=>{let o=e.msgs[e.msgs.length-1];if(!o||o.id===s.current)return;let a=!s.current;s.current=o.id,!a&&o.direction==="in"&&n((o.sender_name||U(o.sender))+": "+(o.text||(o.media?"a file":"")))},[e.msgs]),i`<div class="sr-only" aria-live="polite">${t}</div>`}function eo({chatKey:e,info:t}){let n=e.startsWith("g:"),s=e.slice(2),o=_(D=>D.chats.get(e)),a=_(D=>n?D.groups.get(s):null),r=_(D=>D.progress),c=_(D=>D.uploads),u=_(D=>D.jump&&D.jump.key===e?D.jump:null),p=_(D=>n?null:D.identity.get(s)),[l,m]=h(null),[g,f]=h(null),[v,y]=h(!1),[w,x]=h(null),S=it(D=>m(D),[]),P=it(D=>f(D),[]),I=c.filter(D=>D.key===e),Ne=!n||!a||a.status==="active"&&(a.settings.post!=="admins"||a.role==="owner"||a.role==="admin"),ve=n&&a&&a.status!=="active"?a.status==="left"?"You left this group.":"You were removed from this group.":Ne?"":"Only admins can send messages to this group.",Te=D=>{ve||!D.dataTransfer||![...D.dataTransfer.types].includes("Files")||(D.preventDefault(),y(!0))},re=D=>{y(!1),!(ve||!D.dataTransfer||!D.dataTransfer.files.length)&&(D.preventDefault(),x([...D.dataTransfer.files]))};return i`<section
    class="conversation"
    aria-label=${"Chat with "+V(e)}
    data-chat=${e}
    onDragOver=${Te}
    onDragLeave=${D=>D.currentTarget===D.target&&y(!1)}
    onDrop=${re}
  >
    <${zr} chatKey=${e} group=${a} info=${t} />
    ${p&&i`<div class="banner" role="alert">
      <${$} name="shield" />
      <span class="grow">${V(e)}'s device keys changed (a reinstall, or someone in between). Compare your safety number with them before you trust new messages.</span>
      <a class="btn" href=${"/chat/"+s+"/info"} onClick=${N}>Compare</a>
    </div>`}
    ${o?i`<${Cn} key=${e} chat=${o} jump=${u} group=${n} progress=${r} uploads=${I} onOpenMedia=${S} onInfo=${P} />`:i`<div class="messages"></div>`}
    <${Kr} chatKey=${e} />
    <${Gr} chat=${o||{msgs:[]}} />
    ${ve?i`<p class="readonly-note">${ve}</p>`:i`<${Xa} key=${e} chatKey=${e} dropped=${w} />`}
    ${v&&i`<div class="drop-hint" aria-hidden="true">Drop files to send them</div>`}
    ${l&&i`<${Va} media=${l} onClose=${()=>m(null)} />`}
    ${g&&i`<${Ya} m=${g} onClose=${()=>f(null)} />`}
  </section>`}function Kr({chatKey:e}){let t=_(s=>s.typing.get(e)),n=t?[...t.keys()].map(U):[];return i`<div class="typing-line" aria-live="polite" data-typing=${n.length?"yes":"no"}>
    ${n.length?e.startsWith("g:")?n.join(", ")+(n.length>1?" are typing…":" is typing…"):n[0]+" is typing…":""}
  </div>`}function De({onText:e}){let[t,n]=h(!1),[s,o]=h(""),a=H(null),r=async(c,u)=>{try{let p=await rs(c);if(p)return n(!1),o(""),e(p),!0}catch(p){u||o(p.message||"No QR code found in that image.")}return!1};return M(()=>{let c=u=>{let p=u.clipboardData&&[...u.clipboardData.files].find(l=>l.type.startsWith("image/"));p&&(u.preventDefault(),r(p))};return document.addEventListener("paste",c),()=>document.removeEventListener("paste",c)},[]),i`<div class="scan">
    <div class="row">
      ${navigator.mediaDevices&&navigator.mediaDevices.getUserMedia&&i`<button type="button" class="btn" aria-pressed=${t?"true":"false"} onClick=${()=>n(!t)}>
        <${$} name="camera" /> ${t?"Stop camera":"Scan with camera"}
      </button>`}
      <button type="button" class="btn" onClick=${()=>a.current.click()}><${$} name="qr" /> QR code from an image</button>
      <input
        ref=${a}
        type="file"
        accept="image/png,image/jpeg"
        hidden
        aria-hidden="true"
        tabindex="-1"
        onChange=${c=>{let u=c.target.files[0];c.target.value="",u&&r(u)}}
      />
    </div>
    <p class="muted">You can also paste a screenshot of a QR code here.</p>
    ${t&&i`<${Vr} onFrame=${c=>r(c,!0)} onError=${c=>(o(c),n(!1))} />`}
    ${s&&i`<p class="error-text" role="alert">${s}</p>`}
  </div>`}function Vr({onFrame:e,onError:t}){let n=H(null);return M(()=>{let s=null,o=0,a=!1,r=document.createElement("canvas"),c=()=>{let u=n.current;if(!(a||!u)){if(u.videoWidth){r.width=u.videoWidth,r.height=u.videoHeight,r.getContext("2d").drawImage(u,0,0),r.toBlob(async p=>{p&&!a&&await e(p)&&(a=!0),a||(o=setTimeout(c,600))},"image/jpeg",.85);return}o=setTimeout(c,300)}};return navigator.mediaDevices.getUserMedia({video:{facingMode:"environment"}}).then(u=>{if(s=u,a)return u.getTracks().forEach(p=>p.stop());n.current.srcObject=u,n.current.play(),c()}).catch(()=>t("The camera is not available: allow it in the browser, or use an image of the code.")),()=>{a=!0,clearTimeout(o),s&&s.getTracks().forEach(u=>u.stop())}},[]),i`<div class="camera"><video ref=${n} muted playsinline aria-label="Camera"></video></div>`}function to({onClose:e,initial:t}){let[n,s]=h(t||""),[o,a]=h(""),[r,c]=h(""),[u,p]=h(!1),l=te(),m=ut(n);M(()=>{m&&m.kind==="account"&&m.name&&!o&&a(m.name)},[n]);let g=async f=>{if(f.preventDefault(),!m){c("That is not an account ID (pg… 60 characters) or a contact link. Ask your contact for the one on their “My account” screen.");return}p(!0),c("");try{if(m.kind==="invite"){let v=await bt(m.link);R(v.status==="active"?"You joined the group.":"Admitted: the group appears once its history arrives."),e(),F("/group/"+v.group);return}await pn(m.account,o.trim()),e(),F("/chat/"+m.account)}catch(v){c(v.message)}finally{p(!1)}};return i`<${A}
    title="Add contact"
    onClose=${e}
    actions=${i`<button type="button" class="btn" onClick=${e}>Cancel</button>
      <button type="submit" form="add-contact" class="btn primary" disabled=${u}>${m&&m.kind==="invite"?"Join group":"Add"}</button>`}
  >
    <form id="add-contact" onSubmit=${g}>
      <label class="field">
        <span>Account ID or link</span>
        <input ref=${l} type="text" name="account" autocomplete="off" spellcheck="false" value=${n} onInput=${f=>s(f.target.value)} placeholder="pg… or pigeon:pg…" />
      </label>
      ${m&&m.kind==="invite"&&i`<p class="muted">This is a group invite link: adding it joins the group.</p>`}
      ${(!m||m.kind==="account")&&i`<label class="field">
        <span>Name (only you see it)</span>
        <input type="text" name="name" value=${o} onInput=${f=>a(f.target.value)} />
      </label>`}
      ${r&&i`<p class="error-text" role="alert">${r}</p>`}
    </form>
    <${De} onText=${f=>(s(f),c(""))} />
  </${A}>`}function no(){let e=_(o=>o.me),[t,n]=h(localStorage.getItem("pigeon.my-name")||"");if(!e)return null;let s=us(e.account,t.trim());return i`<div class="card my-account">
    <h3>My account</h3>
    <p class="muted">Others add you with this ID, this link or by scanning the code.</p>
    <p class="mono" data-account=${e.account}>${e.account}</p>
    <div class="row">
      <button type="button" class="btn" onClick=${async()=>R(await Se(e.account)?"Account ID copied.":"Copy failed: select the ID and copy it.")}>
        <${$} name="copy" /> Copy ID
      </button>
      <button type="button" class="btn" onClick=${async()=>R(await Se(s)?"Contact link copied.":"Copy failed.")}>
        <${$} name="link" /> Copy contact link
      </button>
    </div>
    <label class="field">
      <span>Name to suggest in your link (optional)</span>
      <input
        type="text"
        value=${t}
        onInput=${o=>{n(o.target.value),localStorage.setItem("pigeon.my-name",o.target.value)}}
      />
    </label>
    <img class="qr" src=${xe(s)} alt=${"QR code of your contact link "+s} width="220" height="220" />
    <p class="muted">Device ${e.device} · peer ${Y(e.peer_id)}</p>
  </div>`}function so({onAdd:e}){let n=[..._(s=>s.contacts).values()].sort((s,o)=>(s.name||s.account).localeCompare(o.name||o.account));return i`<section class="pane page" aria-labelledby="contacts-title">
    <header class="bar">
      <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${N}><${$} name="back" /></a>
      <h2 id="contacts-title">Contacts</h2>
      <button type="button" class="btn primary" onClick=${e}><${$} name="person-add" /> Add contact</button>
    </header>
    <div class="page-body">
      <div class="card">
        <ul class="list">
          ${n.map(s=>i`<li key=${s.account} data-account=${s.account}>
              <${Q} small name=${s.name} />
              <span class="grow">
                <strong>${s.name||Y(s.account)}</strong>
                ${s.verified&&i` <span class="verified">✓ verified</span>`}
                ${s.identity_changed_at&&i` <span class="error-text">keys changed</span>`}
                <div class="mono muted">${s.account}</div>
              </span>
              <a class="btn" href=${"/chat/"+s.account} onClick=${N}><${$} name="chat" /> Message</a>
            </li>`)}
          ${!n.length&&i`<li class="muted">No contacts yet. Add one with their account ID, link or QR code.</li>`}
        </ul>
      </div>
      <${no} />
    </div>
  </section>`}function ao(){return i`<section class="pane page" aria-labelledby="me-title">
    <header class="bar">
      <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${N}><${$} name="back" /></a>
      <h2 id="me-title">My account</h2>
    </header>
    <div class="page-body"><${no} /></div>
  </section>`}function Yr({account:e}){let t=_(f=>f.contacts.get(e)),n=_(f=>f.identity.get(e)),[s,o]=h(""),[a,r]=h(""),[c,u]=h(!1),[p,l]=h(null);M(()=>{C("/v1/contacts/"+B(e)+"/safety-number").then(f=>o(f.safety_number)).catch(f=>r(f.message))},[e,t&&t.identity_changed_at,n]);let m=ps(s).split(" ").filter(Boolean),g=async()=>{try{await js(e),R("Marked as verified.")}catch(f){k(f)}};return i`<div class="section safety-number">
    <h3>Safety number</h3>
    ${(n||t&&t.identity_changed_at)&&i`<p class="banner" role="alert"><${$} name="shield" /> Their device keys changed${t&&t.verified?" since you verified it":""} (a reinstall, or someone in between). Compare the safety number again before you trust new messages.</p>`}
    ${a&&i`<p class="error-text">${a}</p>`}
    ${s&&i`<div class="safety" aria-label=${"Safety number "+m.join(" ")} data-safety=${s}>${m.map((f,v)=>i`<span key=${v}>${f}</span>`)}</div>
      <img class="qr" src=${xe(s)} alt="QR code of the safety number, for the other side to scan" width="220" height="220" />
      <p class="muted">Compare these digits with ${t&&t.name?t.name:"your contact"}'s screen, in person or on a call, or scan each other's code.</p>`}
    ${c&&i`<${De}
      onText=${f=>{u(!1),l(f.replace(/\s/g,"")===s)}}
    />`}
    ${p===!0&&i`<p class="verified" role="status">The numbers match.</p>`}
    ${p===!1&&i`<p class="error-text" role="alert">The numbers do not match: do not verify.</p>`}
    <div class="row">
      <button type="button" class="btn" onClick=${()=>u(!c)}><${$} name="camera" /> ${c?"Stop scanning":"Scan their code"}</button>
      ${t&&t.verified&&!t.identity_changed_at?i`<span class="verified"><${$} name="shield" /> Verified</span>`:i`<button type="button" class="btn primary" onClick=${g} disabled=${!t}>Mark as verified</button>`}
    </div>
  </div>`}var Qr=[[-1,"As in Settings"],[0,"Never"],[1<<20,"Up to 1 MB"],[16<<20,"Up to 16 MB"],[100<<20,"Up to 100 MB"],[16*1024*1024*1024,"Always"]];function Jr({account:e}){let[t,n]=h(localStorage.getItem("pigeon.auto."+e)||"-1"),s=async o=>{try{await L("/v1/conversations/"+B(e)+"/auto-download",{max_bytes:Number(o)}),localStorage.setItem("pigeon.auto."+e,o),n(o)}catch(a){k(a)}};return i`<label class="field">
    <span>Download files from this chat on arrival</span>
    <select value=${t} onChange=${o=>s(o.target.value)}>
      ${Qr.map(([o,a])=>i`<option value=${String(o)}>${a}</option>`)}
    </select>
  </label>`}function oo({account:e}){let t=_(c=>c.contacts.get(e)),n=_(c=>c.presence.get(e)),[s,o]=h(t?t.name:"");M(()=>o(t?t.name:""),[t&&t.name]);let a=async c=>{c.preventDefault();try{await L("/v1/contacts/"+B(e),{name:s.trim()}),await X(),K(),R("Saved.")}catch(u){k(u)}},r=async()=>{if(confirm("Remove this contact? The chat stays."))try{await G("/v1/contacts/"+B(e)),await X()}catch(c){k(c)}};return i`<aside class="drawer" aria-label="Contact details">
    <header class="bar">
      <a href=${"/chat/"+e} class="icon-btn" onClick=${N} aria-label="Close details"><${$} name="close" /></a>
      <h2>Contact details</h2>
    </header>
    <div class="section">
      ${t?i`<form onSubmit=${a} class="row">
            <label class="field grow"><span>Name</span><input type="text" value=${s} onInput=${c=>o(c.target.value)} /></label>
            <button class="btn" type="submit">Save</button>
          </form>`:i`<p>Not in your contacts.</p>
            <button type="button" class="btn primary" onClick=${()=>pn(e,"").catch(k)}>Add to contacts</button>`}
      <p class="label">Account ID</p>
      <p class="mono">${e}</p>
      ${n&&i`<p class="muted">${n.state==="online"?"Online":n.state==="offline"?"Offline":"Presence not shared"}</p>`}
    </div>
    <${Yr} account=${e} />
    <div class="section">
      <h3>Files</h3>
      <${Jr} account=${e} />
    </div>
    <${pa} account=${e} />
    ${t&&i`<div class="section"><button type="button" class="btn danger" onClick=${r}><${$} name="trash" /> Remove contact</button></div>`}
  </aside>`}function ro({chosen:e,onChange:t,exclude:n}){let o=[..._(a=>a.contacts).values()].filter(a=>!n||!n.has(a.account));return o.length?i`<fieldset class="pick">
    <legend class="sr-only">Members</legend>
    ${o.map(a=>i`<label key=${a.account}>
        <input
          type="checkbox"
          checked=${e.has(a.account)}
          onChange=${r=>{let c=new Set(e);r.target.checked?c.add(a.account):c.delete(a.account),t(c)}}
        />
        ${a.name||Y(a.account)}
      </label>`)}
  </fieldset>`:i`<p class="muted">No contacts to choose from. Add contacts first, or share an invite link.</p>`}function io({onClose:e}){let[t,n]=h(""),[s,o]=h(""),[a,r]=h(new Set),[c,u]=h(""),[p,l]=h(!1),m=te(),g=async f=>{if(f.preventDefault(),!t.trim()){u("Give the group a name.");return}l(!0);try{let v=await Fs(t.trim(),s.trim(),[...a]);e(),F("/group/"+v.id)}catch(v){u(v.message)}finally{l(!1)}};return i`<${A}
    title="New group"
    onClose=${e}
    actions=${i`<button type="button" class="btn" onClick=${e}>Cancel</button>
      <button type="submit" form="new-group" class="btn primary" disabled=${p}>Create</button>`}
  >
    <form id="new-group" onSubmit=${g}>
      <label class="field"><span>Name</span><input ref=${m} type="text" name="name" value=${t} onInput=${f=>n(f.target.value)} /></label>
      <label class="field"><span>Description (optional)</span><textarea rows="2" name="description" value=${s} onInput=${f=>o(f.target.value)}></textarea></label>
      <p class="label">Members</p>
      <${ro} chosen=${a} onChange=${r} />
      ${c&&i`<p class="error-text" role="alert">${c}</p>`}
    </form>
  </${A}>`}function co({onClose:e}){let[t,n]=h(""),[s,o]=h(""),[a,r]=h(!1),c=te(),u=async p=>{let l=ut(p);if(!l||l.kind!=="invite"){o("That is not a group invite link (it starts with pgi). Ask a member for a new one.");return}r(!0),o("");try{let m=await bt(l.link);R(m.status==="active"?"You joined the group.":"Admitted: the group appears once its history arrives."),e(),F("/group/"+m.group)}catch(m){o(m.message)}finally{r(!1)}};return i`<${A}
    title="Join a group"
    onClose=${e}
    actions=${i`<button type="button" class="btn" onClick=${e}>Cancel</button>
      <button type="submit" form="join-group" class="btn primary" disabled=${a}>${a?"Asking the group…":"Join"}</button>`}
  >
    <form
      id="join-group"
      onSubmit=${p=>{p.preventDefault(),u(t)}}
    >
      <label class="field"><span>Invite link</span><input ref=${c} type="text" name="link" autocomplete="off" spellcheck="false" value=${t} onInput=${p=>n(p.target.value)} placeholder="pgi…" /></label>
      ${s&&i`<p class="error-text" role="alert">${s}</p>`}
    </form>
    <${De} onText=${p=>(n(p),u(p))} />
  </${A}>`}var Mn=(e,t)=>e.role==="owner"||e.role==="admin"||e.settings&&e.settings[t]==="members"&&e.role==="member";function Xr({g:e}){let[t,n]=h(""),[s,o]=h("86400"),a=async()=>{try{let c=await T("/v1/groups/"+e.id+"/invites",{ttl_seconds:Number(s)});n(c.link),Z(e.id)}catch(c){k(c)}},r=async()=>{try{await T("/v1/groups/invites/revoke",{link:t}),n(""),Z(e.id),R("Invite link revoked: nobody can join with it now.")}catch(c){k(c)}};return i`<div class="section invites">
    <h3>Invite link</h3>
    ${t?i`<p class="mono" data-invite=${t}>${t}</p>
          <img class="qr" src=${xe(t)} alt="QR code of the invite link" width="220" height="220" />
          <div class="row">
            <button type="button" class="btn" onClick=${async()=>R(await Se(t)?"Invite link copied.":"Copy failed: select the link and copy it.")}>
              <${$} name="copy" /> Copy
            </button>
            <button type="button" class="btn danger" onClick=${r}>Revoke</button>
          </div>`:i`<div class="row">
          <label class="field grow">
            <span>Valid for</span>
            <select value=${s} onChange=${c=>o(c.target.value)}>
              <option value="3600">1 hour</option>
              <option value="86400">1 day</option>
              <option value="604800">1 week</option>
              <option value="0">Until revoked</option>
            </select>
          </label>
          <button type="button" class="btn primary" onClick=${a}><${$} name="link" /> Create invite link</button>
        </div>`}
    ${e.invites&&e.invites.length>0&&i`<p class="muted">${e.invites.length} invite link${e.invites.length>1?"s":""} open.</p>`}
  </div>`}function Zr({g:e}){let t=_(l=>l.contacts);_(l=>l.profiles);let[n,s]=h(!1),[o,a]=h(new Set),r=d.me&&d.me.account,c=e.role==="owner"||e.role==="admin",u=async l=>{try{await l(),await Z(e.id)}catch(m){k(m)}},p="/v1/groups/"+e.id+"/members";return i`<div class="section members">
    <h3>${e.members.length} members</h3>
    <ul class="list">
      ${e.members.map(l=>{let m=l.account===r?"You":l.name||(t.get(l.account)||{}).name||Y(l.account);return i`<li key=${l.account} data-account=${l.account}>
          <${Q} small name=${m} src=${xt(l.account)} />
          <span class="grow">${m}</span>
          ${l.role!=="member"&&i`<span class="role">${l.role}</span>`}
          ${c&&l.account!==r&&l.role!=="owner"&&i`<span class="row">
            ${l.role==="member"?i`<button type="button" class="btn" onClick=${()=>u(()=>L(p+"/"+l.account+"/role",{role:"admin"}))} aria-label=${"Make "+m+" an admin"}>Make admin</button>`:e.role==="owner"&&i`<button type="button" class="btn" onClick=${()=>u(()=>L(p+"/"+l.account+"/role",{role:"member"}))} aria-label=${"Make "+m+" a member"}>Dismiss as admin</button>`}
            <button type="button" class="btn danger" onClick=${()=>confirm("Remove "+m+" from the group?")&&u(()=>G(p+"/"+l.account))} aria-label=${"Remove "+m}>
              Remove
            </button>
          </span>`}
        </li>`})}
    </ul>
    ${Mn(e,"add")&&(n?i`<div>
          <${ro} chosen=${o} onChange=${a} exclude=${new Set(e.members.map(l=>l.account))} />
          <div class="row">
            <button
              type="button"
              class="btn primary"
              disabled=${!o.size}
              onClick=${()=>u(async()=>{await T(p,{accounts:[...o],role:"member"}),s(!1),a(new Set)})}
            >
              Add ${o.size||""}
            </button>
            <button type="button" class="btn" onClick=${()=>s(!1)}>Cancel</button>
          </div>
        </div>`:i`<button type="button" class="btn" onClick=${()=>s(!0)}><${$} name="person-add" /> Add members</button>`)}
  </div>`}function Sn({g:e,k:t,label:n}){let s=async o=>{try{await He("/v1/groups/"+e.id,{settings:{...e.settings,[t]:o}}),await Z(e.id)}catch(a){k(a)}};return i`<label class="field">
    <span>${n}</span>
    <select value=${e.settings[t]} onChange=${o=>s(o.target.value)}>
      <option value="members">All members</option>
      <option value="admins">Only admins</option>
    </select>
  </label>`}function ei({g:e}){return i`<div class="section">
    <h3>Permissions</h3>
    <${Sn} g=${e} k="post" label="Who can send messages" />
    <${Sn} g=${e} k="add" label="Who can add members" />
    <${Sn} g=${e} k="edit_info" label="Who can change name and description" />
    <${Zs} g=${e} />
  </div>`}function lo({id:e}){let t=_(l=>l.groups.get(e)),[n,s]=h(null),[o,a]=h(null);if(!t)return i`<aside class="drawer"><p class="hint">Loading the group…</p></aside>`;let r=t.status==="active",c=r&&Mn(t,"edit_info"),u=async l=>{l.preventDefault();try{await He("/v1/groups/"+e,{name:(n??t.name).trim(),description:(o??t.description??"").trim()}),await Z(e),await se(),s(null),a(null),R("Saved.")}catch(m){k(m)}},p=async()=>{if(confirm("Leave "+t.name+"? You will not get its messages any more."))try{await T("/v1/groups/"+e+"/leave"),await Z(e)}catch(l){k(l)}};return i`<aside class="drawer" aria-label="Group details" data-group=${e}>
    <header class="bar">
      <a href=${"/group/"+e} class="icon-btn" onClick=${N} aria-label="Close details"><${$} name="close" /></a>
      <h2>Group details</h2>
    </header>
    <div class="section">
      ${c?i`<form onSubmit=${u}>
            <label class="field"><span>Name</span><input type="text" name="name" value=${n??t.name} onInput=${l=>s(l.target.value)} /></label>
            <label class="field"><span>Description</span><textarea rows="3" name="description" value=${o??t.description??""} onInput=${l=>a(l.target.value)}></textarea></label>
            <button type="submit" class="btn" disabled=${n===null&&o===null}>Save</button>
          </form>`:i`<h3>${t.name}</h3>
            <p>${t.description}</p>`}
      <p class="muted">${r?"Your role: "+t.role:t.status==="left"?"You left this group.":"You were removed from this group."}</p>
    </div>
    ${r&&i`<${Zr} g=${t} />`}
    ${r&&Mn(t,"add")&&i`<${Xr} g=${t} />`}
    ${r&&(t.role==="owner"||t.role==="admin")&&i`<${ei} g=${t} />`}
    ${r&&i`<div class="section"><button type="button" class="btn danger" onClick=${p}>Leave group</button></div>`}
  </aside>`}function Tn(e=localStorage.getItem("pigeon.theme")||"system"){e==="light"||e==="dark"?document.documentElement.dataset.theme=e:delete document.documentElement.dataset.theme}function ti(){let[e,t]=h(null),[n,s]=h(""),[o,a]=h(""),r=()=>C("/v1/relays").then(t).catch(k);M(()=>{r();let p=setInterval(r,1e4);return()=>clearInterval(p)},[]);let c=async p=>{p.preventDefault();try{await T("/v1/relays",o.trim()?{addr:n.trim(),invite:o.trim()}:{addr:n.trim()}),s(""),a(""),R("Relay added: the node reserves a slot there now."),r()}catch(l){k(l)}},u=async p=>{if(confirm("Stop using relay "+Y(p.peer_id)+"? What its mailbox holds for you is taken first."))try{await G("/v1/relays/"+p.peer_id),r()}catch(l){k(l)}};return i`<div class="card relays">
    <h3>Relays</h3>
    <p class="muted">Relays carry your encrypted messages while you are offline and connect you when you cannot be reached directly. They only see ciphertext.</p>
    <ul class="list">
      ${(e||[]).map(p=>i`<li key=${p.peer_id} data-peer=${p.peer_id}>
          <span class="grow">
            <span class="mono">${p.addr}</span>
            <div class="relay-stats">
              ${p.closing?"closing":p.reserved?"connected":"not connected"}
              ${p.latency_ms?" · "+p.latency_ms.toFixed(1)+" ms":""}
              ${p.region?" · "+p.region:""}
              ${p.mailbox?" · mailbox":""}
              ${p.push&&p.push!=="off"?" · push "+p.push+(p.push_reason?" ("+p.push_reason+")":""):""}
              ${p.last_error?i` · <span class="error-text">${p.last_error}</span>`:""}
            </div>
          </span>
          ${!p.closing&&i`<button type="button" class="btn danger" onClick=${()=>u(p)} aria-label=${"Remove relay "+p.addr}>Remove</button>`}
        </li>`)}
      ${e&&!e.length&&i`<li class="muted">No relays: others reach you only while you are online and reachable.</li>`}
    </ul>
    <form onSubmit=${c}>
      <label class="field"><span>Relay address</span><input type="text" name="relay" value=${n} onInput=${p=>s(p.target.value)} placeholder="/ip4/…/tcp/…/p2p/12D3Koo…" spellcheck="false" /></label>
      <label class="field"><span>Invite token (for invite-only relays)</span><input type="text" value=${o} onInput=${p=>a(p.target.value)} /></label>
      <button type="submit" class="btn" disabled=${!n.trim()}>Add relay</button>
    </form>
  </div>`}function ni(){let[e,t]=h(null),[n,s]=h("unifiedpush"),[o,a]=h(""),[r,c]=h(""),[u,p]=h(""),l=()=>C("/v1/push").then(t).catch(k);M(()=>{l()},[]);let m=async f=>{f.preventDefault();let v={kind:n};n==="unifiedpush"||n==="webhook"?v.url=o.trim():v.token=r.trim(),n==="apns"&&(v.topic=u.trim());try{await L("/v1/push",v),R("Push endpoint set; each relay says below whether it will use it."),l()}catch(y){k(y)}},g=async()=>{try{await G("/v1/push"),l()}catch(f){k(f)}};return i`<div class="card push">
    <h3>Push wake-ups</h3>
    <p class="muted">Your relays can wake a phone or a server of yours when something arrives while this device is away. The wake-up carries no content.</p>
    ${e&&i`<p>${e.endpoint?"Now: "+e.described:"No push endpoint."}</p>
      <ul class="list">
        ${e.relays.map(f=>i`<li key=${f.peer_id}><span class="grow mono">${Y(f.peer_id)}</span><span>${f.state}${f.reason?": "+f.reason:""}</span></li>`)}
      </ul>`}
    <form onSubmit=${m}>
      <label class="field">
        <span>Kind</span>
        <select value=${n} onChange=${f=>s(f.target.value)}>
          <option value="unifiedpush">UnifiedPush</option>
          <option value="webhook">Webhook</option>
          <option value="fcm">Firebase (FCM)</option>
          <option value="apns">Apple (APNs)</option>
        </select>
      </label>
      ${n==="unifiedpush"||n==="webhook"?i`<label class="field"><span>URL</span><input type="url" value=${o} onInput=${f=>a(f.target.value)} /></label>`:i`<label class="field"><span>Token</span><input type="text" value=${r} onInput=${f=>c(f.target.value)} /></label>`}
      ${n==="apns"&&i`<label class="field"><span>Topic</span><input type="text" value=${u} onInput=${f=>p(f.target.value)} /></label>`}
      <div class="row">
        <button type="submit" class="btn">Set</button>
        ${e&&e.endpoint&&i`<button type="button" class="btn danger" onClick=${g}>Turn off</button>`}
      </div>
    </form>
  </div>`}function si(){let[e,t]=h("");M(()=>{C("/v1/presence/privacy").then(s=>t(s.who)).catch(k)},[]);let n=async s=>{try{await L("/v1/presence/privacy",{who:s}),t(s),R("Saved.")}catch(o){k(o)}};return i`<div class="card">
    <h3>Privacy</h3>
    <label class="field">
      <span>Who sees when you are online and when you were last seen</span>
      <select value=${e} onChange=${s=>n(s.target.value)}>
        ${!e&&i`<option value="">Loading…</option>`}
        <option value="everyone">Everyone</option>
        <option value="contacts">My contacts</option>
        <option value="nobody">Nobody</option>
      </select>
    </label>
  </div>`}var Dn=[[0,"Never (download when I ask)"],[1<<20,"Files up to 1 MB"],[16<<20,"Files up to 16 MB"],[100<<20,"Files up to 100 MB"],[16*1024*1024*1024,"All files"]];function ai(){let e=_(o=>o.autoDownload),t=e?e.max_bytes:null,n=t==null||Dn.some(([o])=>o===t)?Dn:[...Dn,[t,"Files up to "+q(t)]],s=async o=>{try{await L("/v1/media-settings/auto-download",{max_bytes:Number(o)}),await rn()}catch(a){k(a)}};return i`<div class="card">
    <h3>Automatic downloads</h3>
    <label class="field">
      <span>Download files on arrival</span>
      <select value=${t==null?"":String(t)} onChange=${o=>s(o.target.value)}>
        ${n.map(([o,a])=>i`<option value=${String(o)}>${a}</option>`)}
      </select>
    </label>
    <p class="muted">Each chat can have its own setting in its details.</p>
  </div>`}function oi(){let[e,t]=h(localStorage.getItem("pigeon.theme")||"system"),[n,s]=h(_t()),o=a=>{localStorage.setItem("pigeon.theme",a),t(a),Tn(a)};return i`<div class="card">
    <h3>Appearance and notifications</h3>
    <fieldset class="field">
      <legend class="label">Theme</legend>
      <div class="row">
        ${["system","light","dark"].map(a=>i`<label key=${a}><input type="radio" name="theme" value=${a} checked=${e===a} onChange=${()=>o(a)} /> ${a==="system"?"Follow the system":a==="light"?"Light":"Dark"}</label>`)}
      </div>
    </fieldset>
    <p>
      Notifications:
      ${n==="granted"?" on, while this tab is in the background.":n==="denied"?" blocked in this browser’s site settings.":n==="unsupported"?" not supported by this browser.":i` <button type="button" class="btn" onClick=${async()=>s(await kt())}>Turn on</button>`}
    </p>
  </div>`}function ri(){return i`<div class="card">
    <h3>This browser</h3>
    <p class="muted">Signing out ends this browser's session; run <code>pigeon web</code> to sign in again.</p>
    <button type="button" class="btn danger" onClick=${async()=>{try{await T("/v1/web/logout")}catch(t){if(t.status!==401)return k(t)}d.boot="signedout",d.me=null,location.replace("/")}}>Sign out</button>
  </div>`}function uo(){return i`<section class="pane page" aria-labelledby="settings-title">
    <header class="bar">
      <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${N}><${$} name="back" /></a>
      <h2 id="settings-title">Settings</h2>
    </header>
    <div class="page-body">
      <${ca} />
      <${aa} />
      <${qa} />
      <${oi} />
      <${si} />
      <${wa} />
      <${ai} />
      <${ti} />
      <${ni} />
      <${ri} />
    </div>
  </section>`}function ii(){let e=d.convs.map(n=>({key:n.key,name:n.name||V(n.key),group:!!n.group})),t=new Set(e.map(n=>n.key));for(let n of d.contacts.values()){let s=le(n.account);t.has(s)||e.push({key:s,name:n.name||V(s),group:!1})}return e}function po({onClose:e}){let[t,n]=h(""),[s,o]=h(0),a=te(),r=t.trim().toLowerCase(),c=ii(),u=(r?c.filter(g=>g.name.toLowerCase().includes(r)):c).slice(0,50),p=Math.min(s,u.length-1),l=g=>{g&&(e(),F(ne(g.key)))},m=g=>{g.key==="ArrowDown"?(g.preventDefault(),o((p+1)%Math.max(1,u.length))):g.key==="ArrowUp"?(g.preventDefault(),o((p-1+u.length)%Math.max(1,u.length))):g.key==="Enter"&&(g.preventDefault(),l(u[p]))};return i`<${A} title="Go to chat" onClose=${e} class="switcher">
    <label class="sr-only" for="switcher-input">Chat name</label>
    <input
      id="switcher-input"
      ref=${a}
      type="text"
      role="combobox"
      aria-expanded="true"
      aria-controls="switcher-list"
      aria-autocomplete="list"
      aria-activedescendant=${u.length?"sw-"+p:void 0}
      autocomplete="off"
      placeholder="Type a name"
      value=${t}
      onInput=${g=>(n(g.target.value),o(0))}
      onKeyDown=${m}
    />
    <ul id="switcher-list" class="switcher-list" role="listbox" aria-label="Chats">
      ${u.map((g,f)=>i`<li id=${"sw-"+f} key=${g.key} role="option" aria-selected=${f===p?"true":"false"} onClick=${()=>l(g)} data-key=${g.key}>
          <${Q} small name=${g.name} group=${g.group} />
          ${g.name}
        </li>`)}
      ${!u.length&&i`<li class="muted" role="option" aria-disabled="true" aria-selected="false">No chat matches.</li>`}
    </ul>
  </${A}>`}var ci=500,It=null,fo="",mo=gn(),ho=new Set(["wrong_key","restore_failed","backup_damaged"]);function yo(){return d.boot="setup",d.setup=null,b(),new Promise(e=>{It=e,bo()})}function $o(){let e=It;It=null,e&&e()}async function bo(){if(It){try{d.setup=await C("/v1/setup"),d.setupDown=""}catch(e){d.setupDown=e.message}if(b(),d.setup&&d.setup.state==="ready"){$o();return}setTimeout(bo,ci)}}var go=e=>(e||0).toLocaleString("en-US");function li({failed:e,onLink:t,onRestore:n}){let[s,o]=h(!1),[a,r]=h("");return i`<div class="setup-choice">
    <button type="button" class="btn primary create-account" disabled=${s} onClick=${async()=>{o(!0),r("");try{await T("/v1/setup/create"),d.setup={state:"creating"},b()}catch(u){r(u.message)}o(!1)}}>Create a new account</button>
    <button type="button" class="btn link-account" disabled=${s} onClick=${t}>Link to an account I already have</button>
    <button type="button" class="btn restore-account" disabled=${s} onClick=${n}>Restore from a backup</button>
    ${(a||e)&&i`<p class="error-text setup-error" role="alert">${a||e.error}</p>`}
  </div>`}function ui({failed:e,onBack:t}){let[n,s]=h(""),[o,a]=h(fo),[r,c]=h(!1),[u,p]=h(""),l=async g=>{g.preventDefault(),c(!0),p("");try{await T("/v1/setup/link",{code:n.trim(),name:o.trim()}),d.setup={state:"linking"},b()}catch(f){p(f.message)}c(!1)},m=u||e&&e.error;return i`<form class="setup-link" onSubmit=${l}>
    <p>On the device that has your account, open Settings › Devices › <strong>Link a device</strong> (or run <code>pigeon devices link</code>), then paste its code here.</p>
    <label class="field">
      <span>Link code</span>
      <textarea class="mono link-code link-code-input" rows="4" spellcheck="false" placeholder="pigeon-link:…" value=${n} onInput=${g=>s(g.target.value)}></textarea>
    </label>
    <${De} onText=${s} />
    <label class="field">
      <span>Name of this device (optional)</span>
      <input type="text" class="device-name-input" maxlength="64" placeholder="this computer's name" value=${o} onInput=${g=>a(fo=g.target.value)} />
    </label>
    ${m&&i`<p class="error-text setup-error" role="alert" data-code=${u?"":e.code}>${m}</p>`}
    <div class="row">
      <button type="button" class="btn" onClick=${t}>Back</button>
      <button type="submit" class="btn primary" disabled=${r||!n.trim()}>Link this device</button>
    </div>
  </form>`}function pi({failed:e,onBack:t}){let[n,s]=h(mo),[o,a]=h(""),[r,c]=h(!1),[u,p]=h(!1),[l,m]=h(null),g=async v=>{v.preventDefault(),p(!0),m(null);let{place:y,s3:w}=$n(n),x={from:y,key:o};w&&(x.s3=w);try{await T("/v1/setup/restore",x),d.setup={state:"restoring"},b()}catch(S){m({code:S.code,error:S.message})}p(!1)},f=l||e;return i`<form class="setup-restore" onSubmit=${g}>
    <p>Restore your account from the backups another device made: this device becomes a new device of that account, with its contacts, groups and history.</p>
    <${bn} loc=${n} set=${v=>s(mo=v)} legend="Where the backups are" />
    <label class="field">
      <span>Recovery key or passphrase</span>
      <div class="row">
        <input type=${r?"text":"password"} class="grow mono restore-key" autocomplete="off" spellcheck="false" value=${o} onInput=${v=>a(v.target.value)} />
        <button type="button" class="btn" aria-pressed=${r} onClick=${()=>c(!r)}>${r?"Hide":"Show"}</button>
      </div>
    </label>
    ${f&&i`<p class="error-text setup-error" role="alert" data-code=${f.code||""}>${f.error}</p>`}
    <div class="row">
      <button type="button" class="btn" onClick=${t}>Back</button>
      <button type="submit" class="btn primary" disabled=${u||!o.trim()||!yn(n)}>${u?"Checking the key…":"Restore"}</button>
    </div>
  </form>`}function vo(){let e=_(a=>a.setup),t=_(a=>a.setupDown),[n,s]=h(""),o;if(!e)o=i`<p class="muted">Asking the daemon…</p>`;else if(e.state==="creating")o=i`<p role="status">Creating your account…</p>`;else if(e.state==="linking")o=e.sas?i`<p>Check that your other device shows this code, and confirm there:</p>
          <p class="sas" aria-label=${"Confirmation code "+e.sas} data-sas=${e.sas}>${e.sas.slice(0,3)} ${e.sas.slice(3)}</p>
          <p class="muted">If it shows other digits, cancel there: someone else has your link code.</p>`:i`<p role="status">Asking your other device…</p>`;else if(e.state==="restoring"){let a=e.restore||{};o=i`<p class="setup-restoring" role="status">${a.total?"Restoring your account from the backup: "+q(a.done)+" of "+q(a.total):"Restoring your account from the backup…"}</p>
      ${a.total?i`<progress max=${a.total} value=${Math.min(a.done||0,a.total)} aria-label="Restore progress"></progress>`:i`<progress aria-label="Restore progress"></progress>`}
      <p class="muted">Pigeon opens when the history is in.</p>`}else if(e.state==="ready"&&!e.history)o=i`<p role="status">Starting Pigeon…</p>`;else if(e.state==="syncing"||e.state==="ready"){let a=e.history||{};o=i`<p>This device is linked to your account.</p>
      <p class="setup-history" role="status">${a.error?"Getting your history stopped ("+a.error+"); it goes on when the devices meet again.":"Getting your history: "+go(a.done)+" of "+go(a.total)}</p>
      <progress max=${a.total||1} value=${a.done||0}></progress>
      <button type="button" class="btn open-app" onClick=${$o}>Open Pigeon now</button>`}else n==="restore"||n===""&&e.error&&ho.has(e.error.code)?o=i`<${pi} failed=${e.error&&ho.has(e.error.code)?e.error:null} onBack=${()=>s("choice")} />`:n==="link"||n===""&&e.error&&e.error.code!=="internal"?o=i`<${ui} failed=${e.error} onBack=${()=>s("choice")} />`:o=i`<p>This device has no Pigeon account yet.</p><${li} failed=${e.error} onLink=${()=>s("link")} onRestore=${()=>s("restore")} />`;return i`<main class="signin setup" aria-labelledby="setup-title" data-state=${e?e.state:""}>
    <h1 id="setup-title">Set up Pigeon</h1>
    ${o}
    ${t&&i`<p class="error-text" role="alert">${t}</p>`}
  </main>`}function di(){return i`<main class="signin" aria-labelledby="signin-title">
    <h1 id="signin-title">Sign in to Pigeon</h1>
    <p>This browser is not signed in to your Pigeon node (or its session ended).</p>
    <p>In a terminal on this computer, run <code>pigeon web</code>: it prints a one-time login link and opens it in your browser.</p>
    <p class="muted">The link works once, for 10 minutes. The session then lasts 30 days from its last use.</p>
  </main>`}function fi(){let e=_(t=>t.toasts);return i`<div class="toasts" role="status" aria-live="polite">
    ${e.map(t=>i`<div key=${t.id} class=${"toast "+t.kind} role=${t.kind==="error"?"alert":void 0}>
        <span class="grow">${t.text}</span>
        <button type="button" aria-label="Dismiss" onClick=${()=>on(t.id)}><${$} name="close" /></button>
      </div>`)}
  </div>`}function mi(){return i`<main class="pane empty-pane" id="main">
    <div class="card">
      <h2>Pigeon</h2>
      <p>Pick a chat on the left, or press <kbd>Ctrl</kbd>+<kbd>K</kbd> to jump to one.</p>
      <p class="muted">Messages are end-to-end encrypted and stored on your own node.</p>
    </div>
  </main>`}function hi(){let e=_(c=>c.boot),t=_(c=>c.storageFull),n=Hs(),[s,o]=h("");if(M(()=>{n.name==="chat"?cn(n.key):Ps()},[n.name,n.key,e]),M(()=>{let c=u=>{(u.ctrlKey||u.metaKey)&&!u.altKey&&u.key.toLowerCase()==="k"&&(u.preventDefault(),o("switcher"))};return document.addEventListener("keydown",c),()=>document.removeEventListener("keydown",c)},[]),e==="signedout")return i`<${di} />`;if(e==="setup")return i`<${vo} />`;if(e==="error")return i`<main class="signin"><h1>Pigeon</h1><p class="error-text">${d.bootError}</p></main>`;let a=()=>o(""),r;if(n.name==="chat"){let c=i`<${eo} key=${n.key} chatKey=${n.key} info=${n.info} />`,u=n.info&&(n.key.startsWith("g:")?i`<${lo} id=${n.key.slice(2)} />`:i`<${oo} account=${n.key.slice(2)} />`);r=i`<main class="pane" id="main">${u?i`<div class="with-drawer">${c}${u}</div>`:c}</main>`}else n.name==="contacts"?r=i`<${so} onAdd=${()=>o("contact")} />`:n.name==="me"?r=i`<${ao} />`:n.name==="settings"?r=i`<${uo} />`:n.name==="requests"?r=i`<${ua} />`:r=i`<${mi} />`;return i`<div class=${"app"+(n.name!=="home"?" chat-open":"")} data-boot=${e}>
    <a class="skip" href="#main">Skip to conversation</a>
    <${Fa}
      current=${n.key}
      onNewGroup=${()=>o("group")}
      onAddContact=${()=>o("contact")}
      onJoin=${()=>o("join")}
    />
    ${t&&i`<div class="banner" role="alert">The disk is nearly full: free some space to receive messages and files again.</div>`}
    ${r}
    ${s==="switcher"&&i`<${po} onClose=${a} />`}
    ${s==="group"&&i`<${io} onClose=${a} />`}
    ${s==="contact"&&i`<${to} onClose=${a} />`}
    ${s==="join"&&i`<${co} onClose=${a} />`}
    <${oa} />
    <${fi} />
  </div>`}function gi(){let e=_(t=>t.conn);return M(()=>{document.body.dataset.conn=e},[e]),i`<${hi} />`}function yi(){return new Promise(e=>document.hidden?e():requestAnimationFrame(()=>setTimeout(e)))}async function $i(){ss(()=>{d.boot="signedout",b()});let e=C("/v1/info");e.catch(()=>{}),await yi();let t=document.getElementById("app");t.textContent="",t.className="",Ut(i`<${gi} />`,t);try{d.me=await e.catch(async n=>{if(n.code!=="not_set_up")throw n;return await yo(),d.boot="loading",C("/v1/info")})}catch(n){n.status!==401&&(d.boot="error",d.bootError=n.message),b();return}b(),Dt(),document.addEventListener("visibilitychange",()=>{Es(document.visibilityState==="visible"),document.hidden||wn()}),window.addEventListener("online",wn),ht(Ks)}Tn();$i();
